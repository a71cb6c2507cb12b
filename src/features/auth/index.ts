import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Config } from '../../config.js'
import { InvalidCredentials, UsernameTaken } from '../../errors.js'
import { errorResponses, serverCodes } from '../../schemas/error.js'
import { toUser } from '../users/schemas.js'
import { createAccountsRepository } from './repository.js'
import { Credentials, LoggedIn, Registered } from './schemas.js'
import { admitHashing, hashPassword, hashWaitLeft, verifyPassword } from './passwords.js'
import sessionRoutes from './session-routes.js'
import type { Sessions } from './sessions.js'

interface AuthOptions {
  rateLimits: Config['rateLimits']
  tokenLifetimeSeconds: number
  sessions: Sessions
  /** The longest a password hash may wait to start before its request is refused 503 (0: no bound). */
  hashWaitMs: number
}

const auth: FastifyPluginAsyncTypebox<AuthOptions> = async (app, { rateLimits, tokenLifetimeSeconds, sessions, hashWaitMs }) => {
  const accounts = createAccountsRepository(app.database.db)
  const { register: registerLimit } = rateLimits

  app.post('/register', {
    schema: {
      operationId: 'register',
      summary: 'Create an account',
      description: 'Answers the new user and a token, so the client is logged in at once.',
      tags: ['auth'],
      body: Credentials,
      response: { 201: Registered, ...errorResponses('USERNAME_TAKEN', 'RATE_LIMITED', ...serverCodes) },
    },
    config: registerLimit ? { rateLimit: { max: registerLimit.max, timeWindow: registerLimit.windowMs } } : {},
  }, async (request, reply) => {
    const { username, password } = request.body
    admitHashing(hashWaitMs)
    const user = await accounts.create(username, await hashPassword(password, hashWaitLeft(hashWaitMs, reply.elapsedTime)))
    if (!user) throw new UsernameTaken(username)
    const sessionId = await sessions.open(user.id, request.headers['user-agent'])
    return reply.code(201).send({ user: toUser(user, app.pictureUrl), token: app.signToken(user.id, sessionId) })
  })

  app.post('/login', {
    schema: {
      operationId: 'login',
      summary: 'Log in and get a token',
      description: 'An unknown username and a wrong password get the same 401, in about the same time.',
      tags: ['auth'],
      body: Credentials,
      response: { 200: LoggedIn, ...errorResponses('INVALID_CREDENTIALS', 'RATE_LIMITED', ...serverCodes) },
    },
  }, async (request, reply) => {
    const { username, password } = request.body
    admitHashing(hashWaitMs)
    // Only failed logins count, per (username, client address): a user who types their password
    // right is never locked out by someone guessing from elsewhere.
    let account: Awaited<ReturnType<typeof accounts.findByUsername>>
    const matches = await app.passwordAttempts.check(`login:${username.toLowerCase()}:${request.ip}`, async () => {
      account = await accounts.findByUsername(username)
      return verifyPassword(account?.passwordHash, password, hashWaitLeft(hashWaitMs, reply.elapsedTime))
    })
    if (!matches || !account) throw new InvalidCredentials()
    const sessionId = await sessions.open(account.id, request.headers['user-agent'])
    return { user: toUser(account, app.pictureUrl), token: app.signToken(account.id, sessionId), expiresIn: tokenLifetimeSeconds }
  })

  await app.register(sessionRoutes, { sessions })
}

export default auth
