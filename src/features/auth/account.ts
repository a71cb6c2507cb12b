import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { InvalidCredentials, TokenInvalid } from '../../errors.js'
import { authErrors, errorResponses, jsonBodyCodes } from '../../schemas/error.js'
import { followChanged } from '../follows/events.js'
import { admitHashing, hashPassword, hashWaitLeft, verifyPassword } from './passwords.js'
import { createAccountsRepository } from './repository.js'
import { Password } from './schemas.js'
import type { Sessions } from './sessions.js'

const noContent = Type.Null({ description: 'Done; no body' })
const PasswordChange = Type.Object({ currentPassword: Password, newPassword: Password }, { additionalProperties: false })
const Erasure = Type.Object({ password: Password }, { additionalProperties: false })

/** What a user does to their own account with its password: change it, or erase the account. */
interface AccountOptions {
  sessions: Sessions
  /** The longest a password hash may wait to start before its request is refused 503 (0: no bound). */
  hashWaitMs: number
}

const account: FastifyPluginAsyncTypebox<AccountOptions> = async (app, { sessions, hashWaitMs }) => {
  const accounts = createAccountsRepository(app.database.db)
  app.addHook('onRequest', app.authenticate)
  const common = { tags: ['users'], security: [{ bearerAuth: [] }] }
  const passwordErrors = { ...authErrors, ...errorResponses('INVALID_CREDENTIALS', 'RATE_LIMITED', ...jsonBodyCodes) }

  /**
   * The caller's password, checked like a login's, counted by the same failed-login limit under
   * the same key: a stolen token does not buy more guesses at the password than a login would.
   */
  async function checkPassword(request: FastifyRequest, reply: FastifyReply, password: string) {
    admitHashing(hashWaitMs)
    const user = await accounts.findById(request.userId)
    if (!user) throw new TokenInvalid('its user no longer exists')
    const matches = await app.passwordAttempts.check(`login:${user.username.toLowerCase()}:${request.ip}`,
      () => verifyPassword(user.passwordHash, password, hashWaitLeft(hashWaitMs, reply.elapsedTime)))
    if (!matches) throw new InvalidCredentials()
  }

  app.put('/me/password', {
    schema: {
      ...common,
      operationId: 'changePassword',
      summary: 'Change the password',
      description: 'Re-checks the current password (a wrong one is 401 INVALID_CREDENTIALS, counted by the failed-login limit) and ends every other session.',
      body: PasswordChange,
      response: { 204: noContent, ...passwordErrors },
    },
  }, async (request, reply) => {
    await checkPassword(request, reply, request.body.currentPassword)
    // The new password's hash has a bound of its own: counted from arrival it would be spent on
    // the check, and a change already checked would be refused after all.
    await accounts.setPasswordHash(request.userId, await hashPassword(request.body.newPassword, hashWaitMs))
    await sessions.endOthers(request.userId, request.sessionId)
    return reply.code(204).send(null)
  })

  app.post('/me/delete', {
    schema: {
      ...common,
      operationId: 'deleteAccount',
      summary: 'Erase the account',
      description: 'With the password. Removes the user, its sessions, follows and blocks both ways, every message it sent or received ' +
        '(the conversation leaves the other person\'s inbox) and its picture; its sockets close with 1008 on every server; the username is free again. ' +
        'A POST, since clients generated from the document may drop the body of a DELETE.',
      body: Erasure,
      response: { 204: noContent, ...passwordErrors },
    },
  }, async (request, reply) => {
    await checkPassword(request, reply, request.body.password)
    const erased = await accounts.erase(request.userId)
    if (!erased) throw new TokenInvalid('its user no longer exists')
    await Promise.all([
      sessions.ended(request.userId, erased.sessionIds),
      ...erased.follows.map((follow) => app.bus.publish(followChanged, follow)),
    ])
    if (erased.picture) {
      await app.pictureStore.remove(erased.picture).catch((error: unknown) => request.log.warn({ err: error }, 'an erased account\'s picture was not removed'))
    }
    return reply.code(204).send(null)
  })
}

export default account
