import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { CannotBlockSelf, UserNotFound } from '../../errors.js'
import { authErrors, errorResponses, errors } from '../../schemas/error.js'
import { UserIdParams } from '../../schemas/ids.js'
import { PageQuery, toPage } from '../../schemas/pagination.js'
import { followChanged } from '../follows/events.js'
import { createFollowsRepository } from '../follows/repository.js'
import { RelationshipSchema } from '../follows/schemas.js'
import { toUser } from '../users/schemas.js'
import { createBlocksRepository } from './repository.js'
import { BlockEntrySchema, blockListSchema, BlockPosition } from './schemas.js'

/** Blocking: the follows between two people end and neither may follow (so chat with) the other again. */
const blocking: FastifyPluginAsyncTypebox = async (app) => {
  app.addSchema(BlockEntrySchema)
  app.addHook('onRequest', app.authenticate)
  const repository = createBlocksRepository(app.database.db)
  const follows = createFollowsRepository(app.database.db)
  const common = { tags: ['blocks'], security: [{ bearerAuth: [] }] }
  const relationshipResponses = { 200: Type.Ref(RelationshipSchema), 404: errors.notFound, ...authErrors }

  async function relationship(userId: number, otherId: number) {
    const found = await follows.relationship(userId, otherId)
    if (!found) throw new UserNotFound(otherId)
    return found
  }

  app.put('/:id/block', {
    schema: {
      ...common,
      operationId: 'blockUser',
      summary: 'Block a user',
      description: 'Idempotent. Removes the follows between the two, both ways; while it lasts neither may follow the other (403 BLOCKED), so they cannot chat. Messages already exchanged stay readable.',
      params: UserIdParams,
      response: { ...relationshipResponses, ...errorResponses('FST_ERR_VALIDATION', 'CANNOT_BLOCK_SELF') },
    },
  }, async (request) => {
    const { userId } = request
    const blockedId = request.params.id
    if (blockedId === userId) throw new CannotBlockSelf()
    const removed = await repository.block(userId, blockedId)
    if (!removed) throw new UserNotFound(blockedId)
    // Every process's mutual-follow cache forgets the pair before the block is answered.
    await Promise.all(removed.map((follow) => app.bus.publish(followChanged, follow)))
    return relationship(userId, blockedId)
  })

  app.delete('/:id/block', {
    schema: {
      ...common,
      operationId: 'unblockUser',
      summary: 'Stop blocking a user',
      description: "Idempotent: unblocking someone you don't block is a 200. The follows the block removed stay removed.",
      params: UserIdParams,
      response: relationshipResponses,
    },
  }, async (request) => {
    await repository.unblock(request.userId, request.params.id)
    return relationship(request.userId, request.params.id)
  })

  app.get('/me/blocks', {
    schema: {
      ...common,
      operationId: 'listBlocks',
      summary: 'The users the caller blocks, newest block first',
      description: 'A page of users, each with blockedAt; follow nextCursor for the next page.',
      querystring: PageQuery,
      response: { 200: blockListSchema, ...authErrors, ...errorResponses('INVALID_CURSOR') },
    },
  }, async (request) => {
    const { limit, cursor } = request.query
    const scope = `blocks:${request.userId}`
    const after = cursor === undefined ? undefined : app.cursors.decode(scope, cursor, BlockPosition)
    const rows = await repository.list(request.userId, limit + 1, after)
    return toPage(rows, limit, (row) => ({ ...toUser(row, app.pictureUrl), blockedAt: row.blockedAt.toISOString() }),
      (row) => app.cursors.encode(scope, [row.blockedAt.getTime(), row.id]))
  })
}

export default blocking
