import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { authErrors, errorResponses } from '../../schemas/error.js'
import { Page, PageQuery, toPage } from '../../schemas/pagination.js'
import type { ConversationRow, InboxRepository } from './inbox-repository.js'
import { ConversationSchema, ReadBody, UnreadSchema, toConversation } from './inbox-schemas.js'
import type { ReadMarkers } from './read-markers.js'
import { ConversationParams } from './schemas.js'

const Position = Type.Integer({ minimum: 1 })

/** The inbox: one entry per person the caller exchanged messages with, and what is read. */
const inbox: FastifyPluginAsyncTypebox<{ repository: InboxRepository, readMarkers: ReadMarkers }> = async (app, { repository, readMarkers }) => {
  const security = [{ bearerAuth: [] }]
  app.addSchema(ConversationSchema)
  app.addHook('onRequest', app.authenticate)

  app.get('/conversations', {
    schema: {
      operationId: 'listConversations',
      summary: "The caller's conversations, the one with the newest message first",
      description: 'Only conversations with at least one message; kept after an unfollow. Keyset pages: every page costs what the first costs.',
      tags: ['chat'],
      security,
      querystring: Type.Composite([PageQuery], { additionalProperties: false }),
      response: { 200: Page(Type.Ref(ConversationSchema), 'A page of conversations, newest message first'), ...authErrors },
    },
  }, async (request) => {
    const { limit, cursor } = request.query
    const scope = `inbox:${request.userId}`
    const before = cursor === undefined ? undefined : app.cursors.decode(scope, cursor, Position)
    const rows = await repository.page(request.userId, limit + 1, before)
    return toPage(rows, limit, (row) => toConversation(row, app.pictureUrl), (row: ConversationRow) => app.cursors.encode(scope, row.lastMessage.id))
  })

  app.get('/conversations/unread', {
    schema: {
      operationId: 'countUnread',
      summary: 'How many conversations have unread messages, and how many unread messages there are',
      description: 'Unread: received after the read marker of its conversation (PUT /conversations/{userId}/read moves it). For a badge, without paging the inbox.',
      tags: ['chat'],
      security,
      response: { 200: UnreadSchema, ...authErrors },
    },
  }, async (request) => repository.unread(request.userId))

  app.put('/conversations/:userId/read', {
    schema: {
      operationId: 'markConversationRead',
      summary: 'Mark a conversation read up to and including a message',
      description: 'A marker never moves back: a lower upTo changes nothing and still answers 200. When it moves, ' +
        'both people get a `read` frame on every socket.',
      tags: ['chat'],
      security,
      params: ConversationParams,
      body: ReadBody,
      response: {
        200: Type.Ref(ConversationSchema),
        ...authErrors,
        ...errorResponses('FST_ERR_VALIDATION', 'INVALID_READ_MARKER', 'USER_NOT_FOUND', 'CONVERSATION_NOT_FOUND'),
      },
    },
  }, async (request) => toConversation(await readMarkers.mark(request.userId, request.params.userId, request.body.upTo), app.pictureUrl))
}

export default inbox
