import { createHash, timingSafeEqual } from 'node:crypto'
import { isIP } from 'node:net'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import type { FastifyRequest } from 'fastify'
import { MetricsLoopbackOnly, MetricsUnauthorized } from '../../errors.js'
import { errorResponses } from '../../schemas/error.js'
import { contentType } from '../../plugins/metrics.js'

const isLoopback = (address: string | undefined) => {
  if (!address) return false
  const ipv4 = address.startsWith('::ffff:') ? address.slice(7) : address
  return address === '::1' || (isIP(ipv4) === 4 && ipv4.startsWith('127.'))
}

/**
 * The socket and the address Fastify reads (the client's, behind a trusted proxy) must both be
 * loopback, and nothing may say it was forwarded: a proxy on this host forwards the world's
 * requests from 127.0.0.1.
 */
const fromLoopback = (request: FastifyRequest) => isLoopback(request.socket.remoteAddress) && isLoopback(request.ip) &&
  request.headers['x-forwarded-for'] === undefined && request.headers.forwarded === undefined

// Digests of equal length, so the comparison takes as long whatever the token sent.
const digest = (token: string) => createHash('sha256').update(token).digest()

function bearerOf(request: FastifyRequest) {
  const [scheme, token, extra] = (request.headers.authorization ?? '').trim().split(/\s+/)
  return scheme?.toLowerCase() === 'bearer' && token && extra === undefined ? token : undefined
}

const metricsRoute: FastifyPluginAsyncTypebox<{ token: string | null }> = async (app, { token }) => {
  const expected = token === null ? null : digest(token)
  app.get('/metrics', {
    schema: {
      operationId: 'metrics',
      summary: 'Prometheus metrics of this process',
      description: 'The Prometheus text format: request durations by route pattern and status class, chat sockets and ' +
        'messages, live events, Redis, the database pool, event-loop lag and the process. Without METRICS_TOKEN only ' +
        'requests from the loopback address are answered; with it, only those carrying it as a bearer token.',
      tags: ['operations'],
      security: [{}, { metricsToken: [] }],
      response: {
        200: { description: 'The metrics', content: { 'text/plain': { schema: Type.String() } } },
        ...errorResponses('METRICS_UNAUTHORIZED', 'METRICS_LOOPBACK_ONLY'),
      },
    },
    logLevel: 'warn',
    onRequest: async (request) => {
      if (expected === null) {
        if (!fromLoopback(request)) throw new MetricsLoopbackOnly()
        return
      }
      const sent = bearerOf(request)
      if (sent === undefined || !timingSafeEqual(digest(sent), expected)) throw new MetricsUnauthorized()
    },
  }, async (_request, reply) => {
    void reply.type(contentType)
    return app.metrics.exposition()
  })
}

export default metricsRoute
