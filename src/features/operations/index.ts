import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { ServiceUnavailable } from '../../errors.js'
import { errorResponses } from '../../schemas/error.js'
import metrics from './metrics.js'

const Status = Type.Object({ status: Type.Literal('ok') }, { additionalProperties: false })

const operations: FastifyPluginAsyncTypebox<{ metricsToken: string | null }> = async (app, { metricsToken }) => {
  app.get('/health', {
    schema: {
      operationId: 'health',
      summary: 'Liveness: 200 while the process runs',
      description: 'Touches nothing else (no database, no Redis), so a busy or degraded process still answers.',
      tags: ['operations'],
      response: { 200: Status },
    },
    logLevel: 'warn',
  }, async () => ({ status: 'ok' as const }))

  app.get('/ready', {
    schema: {
      operationId: 'ready',
      summary: 'Readiness: 200 when the database answers, else 503',
      description: 'Pings the database. Redis trouble does not make a process unready; the Redis-Status header says up or down.',
      tags: ['operations'],
      response: { 200: Status, ...errorResponses('SERVICE_UNAVAILABLE') },
    },
    logLevel: 'warn',
  }, async (request, reply) => {
    // Redis trouble does not make a process unready (it serves its own sockets meanwhile); it
    // is reported in a header, leaving the body as the contract has it.
    if (app.redis) void reply.header('redis-status', app.redis.up ? 'up' : 'down')
    try {
      await app.database.ping()
      return { status: 'ok' as const }
    } catch (error) {
      request.log.warn({ err: error }, 'database is not answering')
      throw new ServiceUnavailable('the database is not answering')
    }
  })

  await app.register(metrics, { token: metricsToken })
}

export default operations
