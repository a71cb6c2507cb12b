import rateLimit from '@fastify/rate-limit'
import fp from 'fastify-plugin'
import { RateLimited } from '../errors.js'

/** Limits are per route (no global per-address limit); each feature says what it counts. */
export default fp(async function rateLimits(app) {
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) => new RateLimited(Math.ceil(context.ttl / 1000)),
  })
}, { name: 'rate-limit' })
