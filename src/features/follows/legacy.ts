import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { authErrors, errors } from '../../schemas/error.js'
import type { FollowGraph } from './follow-graph.js'
import { followListSchema, LegacyFollowBody, LegacyListQuery, RelationshipSchema } from './schemas.js'

/** The original Express service's routes, kept for its clients; same answers as the routes they stand for. */
const legacy: FastifyPluginAsyncTypebox<{ graph: FollowGraph }> = async (app, { graph }) => {
  const common = { tags: ['legacy'], deprecated: true, security: [{ bearerAuth: [] }] }
  // These two take a JSON body, so they also answer 413 for one over the limit and 415 for another content type.
  const relationshipResponses = { 200: Type.Ref(RelationshipSchema), 404: errors.notFound, 413: errors.tooLarge, 415: errors.unsupported, ...authErrors }

  app.post('/follow', {
    schema: { ...common, operationId: 'legacyFollow', summary: 'Follow a user (use PUT /users/{id}/follow)', body: LegacyFollowBody, response: relationshipResponses },
  }, (request) => graph.follow(request.userId, request.body.userId))

  app.post('/unfollow', {
    schema: { ...common, operationId: 'legacyUnfollow', summary: 'Unfollow a user (use DELETE /users/{id}/follow)', body: LegacyFollowBody, response: relationshipResponses },
  }, (request) => graph.unfollow(request.userId, request.body.userId))

  const lists = [
    ['/getAlFollowers', 'followers', 'legacyListFollowers'],
    ['/getAllFollowings', 'following', 'legacyListFollowing'],
  ] as const
  for (const [url, direction, operationId] of lists) {
    app.get(url, {
      schema: {
        ...common,
        operationId,
        summary: `The ${direction} list of ?userId=, or of the caller (use GET /users/{id}/${direction})`,
        querystring: LegacyListQuery,
        response: { 200: followListSchema('A page of users with followedAt'), 404: errors.notFound, ...authErrors },
      },
    }, (request) => graph.list(direction, request.query.userId ?? request.userId, request.query.limit, request.query.cursor))
  }
}

export default legacy
