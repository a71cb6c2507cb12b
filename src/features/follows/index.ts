import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { authErrors, errorResponses, errors } from '../../schemas/error.js'
import { UserIdParams } from '../../schemas/ids.js'
import { PageQuery } from '../../schemas/pagination.js'
import { createFollowGraph } from './follow-graph.js'
import legacy from './legacy.js'
import { createFollowsRepository } from './repository.js'
import { FollowEntrySchema, followListSchema, RelationshipSchema } from './schemas.js'

const follows: FastifyPluginAsyncTypebox = async (app) => {
  app.addSchema(FollowEntrySchema)
  app.addHook('onRequest', app.authenticate)
  const graph = createFollowGraph(createFollowsRepository(app.database.db), app.bus, app.cursors, app.pictureUrl)
  const security = [{ bearerAuth: [] }]
  const relationshipResponses = { 200: Type.Ref(RelationshipSchema), 404: errors.notFound, ...authErrors }

  app.put('/:id/follow', {
    schema: {
      operationId: 'followUser',
      summary: 'Follow a user',
      description: 'Idempotent: following someone you already follow is a 200 with the same answer. While either of the two blocks the other: 403 BLOCKED.',
      tags: ['follows'],
      security,
      params: UserIdParams,
      response: { ...relationshipResponses, ...errorResponses('FST_ERR_VALIDATION', 'CANNOT_FOLLOW_SELF', 'BLOCKED') },
    },
  }, (request) => graph.follow(request.userId, request.params.id))

  app.delete('/:id/follow', {
    schema: {
      operationId: 'unfollowUser',
      summary: 'Stop following a user',
      description: "Idempotent: unfollowing someone you don't follow is a 200.",
      tags: ['follows'],
      security,
      params: UserIdParams,
      response: relationshipResponses,
    },
  }, (request) => graph.unfollow(request.userId, request.params.id))

  app.get('/:id/relationship', {
    schema: {
      operationId: 'getRelationship',
      summary: 'How the caller and a user are connected',
      description: 'Whether the caller follows the user, is followed by them, and whether both hold (mutual, which chat requires).',
      tags: ['follows'],
      security,
      params: UserIdParams,
      response: relationshipResponses,
    },
  }, (request) => graph.relationship(request.userId, request.params.id))

  for (const direction of ['followers', 'following'] as const) {
    app.get(`/:id/${direction}`, {
      schema: {
        operationId: direction === 'followers' ? 'listFollowers' : 'listFollowing',
        summary: direction === 'followers' ? 'Who follows a user, newest follow first' : 'Whom a user follows, newest follow first',
        description: 'A page of users, each with followedAt; follow nextCursor for the next page.',
        tags: ['follows'],
        security,
        params: UserIdParams,
        querystring: PageQuery,
        response: { 200: followListSchema('A page of users with followedAt'), 404: errors.notFound, ...authErrors },
      },
    }, (request) => graph.list(direction, request.params.id, request.query.limit, request.query.cursor))
  }

  await app.register(legacy, { graph })
}

export default follows
