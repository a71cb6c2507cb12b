import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { authErrors, errorResponses, errors } from '../../schemas/error.js'
import { seedId } from '../../schemas/ids.js'
import type { FollowGraph } from './follow-graph.js'
import { followListSchema, LegacyFollowBody, LegacyListQuery, RelationshipSchema } from './schemas.js'

/** The original Express service's routes, kept for its clients; same answers as the routes they stand for. */
const legacy: FastifyPluginAsyncTypebox<{ graph: FollowGraph }> = async (app, { graph }) => {
  const common = { tags: ['legacy'], deprecated: true, security: [{ bearerAuth: [] }] }
  // These two take a JSON body, so they also answer 413 for one over the limit and 415 for another content type.
  const relationshipResponses = { 200: Type.Ref(RelationshipSchema), 404: errors.notFound, 413: errors.tooLarge, 415: errors.unsupported, ...authErrors }

  // Validation then sees the number a decimal string spells, so both meet the same bounds.
  app.addHook('preValidation', async (request) => {
    const body = request.body as { userId?: unknown } | null
    if (typeof body === 'object' && body !== null && 'userId' in body) body.userId = seedId(body.userId)
  })
  const idOf = (body: { userId: number | string }) => Number(body.userId)

  app.post('/follow', {
    schema: {
      ...common,
      operationId: 'legacyFollow',
      summary: 'Follow a user (use PUT /users/{id}/follow)',
      description: "The original service's follow, with the user id in the body; answers what PUT /users/{id}/follow answers.",
      body: LegacyFollowBody,
      response: { ...relationshipResponses, ...errorResponses('FST_ERR_VALIDATION', 'CANNOT_FOLLOW_SELF', 'BLOCKED') },
    },
  }, (request) => graph.follow(request.userId, idOf(request.body)))

  app.post('/unfollow', {
    schema: {
      ...common,
      operationId: 'legacyUnfollow',
      summary: 'Unfollow a user (use DELETE /users/{id}/follow)',
      description: "The original service's unfollow, with the user id in the body; answers what DELETE /users/{id}/follow answers.",
      body: LegacyFollowBody,
      response: relationshipResponses,
    },
  }, (request) => graph.unfollow(request.userId, idOf(request.body)))

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
        description: `The original service's list, now a page like GET /users/{id}/${direction}.`,
        querystring: LegacyListQuery,
        response: { 200: followListSchema('A page of users with followedAt'), 404: errors.notFound, ...authErrors },
      },
    }, (request) => graph.list(direction, request.query.userId ?? request.userId, request.query.limit, request.query.cursor))
  }
}

export default legacy
