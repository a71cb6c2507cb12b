import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { errors } from '../../schemas/error.js'
import { errorBody } from '../../plugins/errors.js'

const Status = Type.Object({ status: Type.Literal('ok') }, { additionalProperties: false })

const operations: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/health', {
    schema: {
      operationId: 'health',
      summary: 'Liveness: 200 while the process runs',
      tags: ['operations'],
      response: { 200: Status, 500: errors.internal },
    },
    logLevel: 'warn',
  }, async () => ({ status: 'ok' as const }))

  app.get('/ready', {
    schema: {
      operationId: 'ready',
      summary: 'Readiness: 200 when the database answers, else 503',
      tags: ['operations'],
      response: { 200: Status, 500: errors.internal, 503: errors.unavailable },
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
      return reply.code(503).send(errorBody(503, 'SERVICE_UNAVAILABLE', 'the database is not answering'))
    }
  })
}

export default operations
