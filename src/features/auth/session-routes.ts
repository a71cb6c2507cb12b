import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { SessionNotFound } from '../../errors.js'
import { authErrors, errorResponses } from '../../schemas/error.js'
import { Page, PageQuery, toPage } from '../../schemas/pagination.js'
import { SessionParams, SessionPosition, SessionSchema } from './schemas.js'
import type { Sessions } from './sessions.js'

const noContent = Type.Null({ description: 'Done; no body' })

/** The caller's sessions: listed, ended one by one, all but this one, or this one (logout). */
const sessionRoutes: FastifyPluginAsyncTypebox<{ sessions: Sessions }> = async (app, { sessions }) => {
  app.addSchema(SessionSchema)
  app.addHook('onRequest', app.authenticate)
  const common = { tags: ['auth'], security: [{ bearerAuth: [] }] }

  app.get('/sessions', {
    schema: {
      ...common,
      operationId: 'listSessions',
      summary: "The caller's sessions, newest first",
      description: 'One per login or registration not yet ended; `current` marks the one this request is made with.',
      querystring: PageQuery,
      response: { 200: Page(Type.Ref(SessionSchema), 'A page of sessions'), ...authErrors, ...errorResponses('INVALID_CURSOR') },
    },
  }, async (request) => {
    const { limit, cursor } = request.query
    const scope = `sessions:${request.userId}`
    const after = cursor === undefined ? undefined : app.cursors.decode(scope, cursor, SessionPosition)
    const rows = await sessions.page(request.userId, limit + 1, after)
    return toPage(rows, limit, (row) => ({
      id: row.id,
      createdAt: row.createdAt.toISOString(),
      lastUsedAt: row.lastUsedAt.toISOString(),
      userAgent: row.userAgent,
      current: row.id === request.sessionId,
    }), (row) => app.cursors.encode(scope, [row.createdAt.getTime(), row.id]))
  })

  app.delete('/sessions/:id', {
    schema: {
      ...common,
      operationId: 'endSession',
      summary: 'End one of the caller\'s sessions',
      description: 'Its token is refused (401 TOKEN_REVOKED) on every server within a second and its chat sockets close with 1008. Ending the current one is a logout.',
      params: SessionParams,
      response: { 204: noContent, ...authErrors, ...errorResponses('SESSION_NOT_FOUND') },
    },
  }, async (request, reply) => {
    if (!(await sessions.end(request.userId, request.params.id.toLowerCase()))) throw new SessionNotFound(request.params.id)
    return reply.code(204).send(null)
  })

  app.delete('/sessions', {
    schema: {
      ...common,
      operationId: 'endOtherSessions',
      summary: 'End every session of the caller\'s but this one',
      description: 'Every other device is logged out: their tokens are refused and their chat sockets close with 1008.',
      response: { 204: noContent, ...authErrors },
    },
  }, async (request, reply) => {
    await sessions.endOthers(request.userId, request.sessionId)
    return reply.code(204).send(null)
  })

  app.post('/logout', {
    schema: {
      ...common,
      operationId: 'logout',
      summary: 'End the current session',
      description: 'This token is refused from now on, on every server, and its chat sockets close with 1008.',
      response: { 204: noContent, ...authErrors },
    },
  }, async (request, reply) => {
    await sessions.end(request.userId, request.sessionId)
    return reply.code(204).send(null)
  })
}

export default sessionRoutes
