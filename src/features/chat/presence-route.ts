import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { NotMutualFollowers, UserNotFound } from '../../errors.js'
import { authErrors, errorResponses } from '../../schemas/error.js'
import { UserIdParams } from '../../schemas/ids.js'
import { PresenceSchema } from './inbox-schemas.js'
import type { MutualFollows } from './mutual-follows.js'
import type { Presence } from './presence.js'

const presenceRoute: FastifyPluginAsyncTypebox<{ presence: Presence, mutualFollows: MutualFollows }> = async (app, { presence, mutualFollows }) => {
  app.addHook('onRequest', app.authenticate)

  app.get('/users/:id/presence', {
    schema: {
      operationId: 'getPresence',
      summary: 'Whether a user has a chat socket open, and when they were last seen',
      description: 'For yourself and your mutual followers only. `online` means at least one chat socket open on any server process.',
      tags: ['chat'],
      security: [{ bearerAuth: [] }],
      params: UserIdParams,
      response: { 200: PresenceSchema, ...authErrors, ...errorResponses('NOT_MUTUAL_FOLLOWERS', 'USER_NOT_FOUND') },
    },
  }, async (request) => {
    const { id } = request.params
    if (id !== request.userId) {
      const status = await mutualFollows.status(request.userId, id)
      if (status === 'no-recipient') throw new UserNotFound(id)
      if (status === 'not-mutual') throw new NotMutualFollowers(id)
    }
    return { userId: id, ...await presence.status(id) }
  })
}

export default presenceRoute
