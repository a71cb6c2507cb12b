import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { UserNotFound } from '../../errors.js'
import { authErrors, errors } from '../../schemas/error.js'
import { Page, PageQuery, toPage } from '../../schemas/pagination.js'
import type { ChatRepository, MessageRow } from './repository.js'
import { ConversationParams, MessageSchema, SyncQuery, toMessage } from './schemas.js'

const Position = Type.Integer({ minimum: 0 })

/** Message history over HTTP, for scrolling back and for catching up after a reconnect. */
const history: FastifyPluginAsyncTypebox<{ repository: ChatRepository }> = async (app, { repository }) => {
  const security = [{ bearerAuth: [] }]
  const MessagePage = (description: string) => Page(Type.Ref(MessageSchema), description)
  app.addHook('onRequest', app.authenticate)

  app.get('/conversations/:userId/messages', {
    schema: {
      operationId: 'listConversationMessages',
      summary: 'Messages between the caller and a user, newest first',
      description: 'Keyset pages: follow nextCursor to scroll back in time.',
      tags: ['chat'],
      security,
      params: ConversationParams,
      querystring: Type.Composite([PageQuery], { additionalProperties: false }),
      response: { 200: MessagePage('A page of messages, newest first'), 404: errors.notFound, ...authErrors },
    },
  }, async (request) => {
    const { userId } = request.params
    const { limit, cursor } = request.query
    const scope = `conversation:${request.userId}:${userId}`
    const before = cursor === undefined ? undefined : app.cursors.decode(scope, cursor, Position)
    if (!(await repository.userExists(userId))) throw new UserNotFound(userId)
    const rows = await repository.conversation(request.userId, userId, limit + 1, before)
    return toPage(rows, limit, toMessage, (row: MessageRow) => app.cursors.encode(scope, row.id))
  })

  app.get('/messages/sync', {
    schema: {
      operationId: 'syncMessages',
      summary: 'Every message the caller sent or received after a message id, oldest first',
      description: 'For catching up after being offline: pass the id of the last message you have as ' +
        '`after`, then follow nextCursor until it is null. The cursor carries the position, so `after` ' +
        'is ignored when a cursor is given.',
      tags: ['chat'],
      security,
      querystring: SyncQuery,
      response: { 200: MessagePage('A page of messages, oldest first'), ...authErrors },
    },
  }, async (request) => {
    const { after, limit, cursor } = request.query
    const scope = `sync:${request.userId}`
    const from = cursor === undefined ? after : app.cursors.decode(scope, cursor, Position)
    const rows = await repository.sync(request.userId, from, limit + 1)
    return toPage(rows, limit, toMessage, (row: MessageRow) => app.cursors.encode(scope, row.id))
  })
}

export default history
