import { createRequire } from 'node:module'
import rateLimit from '@fastify/rate-limit'
import type { FastifyBaseLogger } from 'fastify'
import fp from 'fastify-plugin'
import { RateLimited } from '../errors.js'
import type { SharedRedis } from './redis.js'

type Counted = (error: Error | null, result: { current: number, ttl: number }) => void
interface Store {
  incr(key: string, done: Counted, timeWindow: number, max: number): void
  read(key: string, done: Counted, timeWindow: number, max: number): void
  child(routeOptions: unknown): Store
}

// The plugin's own stores (CommonJS files it does not export as types): the pair below uses both.
const require = createRequire(import.meta.url)
const LocalStore = require('@fastify/rate-limit/store/LocalStore.js') as new (continueExceeding?: boolean, exponentialBackoff?: boolean) => Store
const RedisStore = require('@fastify/rate-limit/store/RedisStore.js') as new (continueExceeding: boolean | undefined, exponentialBackoff: boolean | undefined, redis: unknown, prefix: string) => Store

/**
 * With REDIS_URL the counts live in Redis, so every process counts the same requests. While
 * Redis is away each process counts in its own memory, rather than refusing every request or
 * waving every one through: the limit then holds per process.
 */
function sharedStore(redis: SharedRedis, log: FastifyBaseLogger) {
  const pair = (shared: Store, local: Store): Store => {
    const call = (method: 'incr' | 'read') => (key: string, done: Counted, timeWindow: number, max: number) => {
      if (!redis.up) return local[method](key, done, timeWindow, max)
      shared[method](key, (error, result) => {
        if (!error) return done(null, result)
        log.debug({ err: error }, 'shared rate limit unavailable; counted per process')
        local[method](key, done, timeWindow, max)
      }, timeWindow, max)
    }
    return {
      incr: call('incr'),
      read: call('read'),
      child: (routeOptions) => pair(shared.child(routeOptions), local.child(routeOptions)),
    }
  }
  // The plugin constructs the store itself, from its global options.
  return class {
    constructor({ continueExceeding, exponentialBackoff }: { continueExceeding?: boolean, exponentialBackoff?: boolean }) {
      return pair(
        new RedisStore(continueExceeding, exponentialBackoff, redis.commands, 'social-api:rate-limit:'),
        new LocalStore(continueExceeding, exponentialBackoff),
      )
    }
  }
}

/** Limits are per route (no global per-address limit); each feature says what it counts. */
export default fp(async function rateLimits(app) {
  const { redis } = app
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) => new RateLimited(Math.ceil(context.ttl / 1000)),
    ...(redis && { store: sharedStore(redis, app.log) as never }),
  })
}, { name: 'rate-limit', dependencies: ['redis'] })
