import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Config } from '../../config.js'
import { InvalidCredentials, RateLimited, UsernameTaken } from '../../errors.js'
import { errorResponses, serverCodes } from '../../schemas/error.js'
import { toUser } from '../users/schemas.js'
import { createAccountsRepository } from './repository.js'
import { Credentials, LoggedIn, Registered } from './schemas.js'
import { hashPassword, verifyPassword } from './passwords.js'

interface AuthOptions {
  rateLimits: Config['rateLimits']
  tokenLifetimeSeconds: number
}

const auth: FastifyPluginAsyncTypebox<AuthOptions> = async (app, { rateLimits, tokenLifetimeSeconds }) => {
  const accounts = createAccountsRepository(app.database.db)
  const { login: loginLimit, register: registerLimit } = rateLimits

  // Only failed logins count, per (username, client address): a user who types their password
  // right is never locked out by someone guessing from elsewhere.
  const failedLogins = loginLimit && app.createRateLimit({
    max: loginLimit.max,
    timeWindow: loginLimit.windowMs,
    keyGenerator: (request) => `login:${(request.body as { username: string }).username.toLowerCase()}:${request.ip}`,
  })

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
    const user = await accounts.create(username, await hashPassword(password))
    if (!user) throw new UsernameTaken(username)
    return reply.code(201).send({ user: toUser(user), token: app.signToken(user.id) })
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
    if (failedLogins) {
      const status = await failedLogins(request, { increment: false })
      if (!status.isAllowed && status.remaining <= 0) {
        void reply.header('retry-after', status.ttlInSeconds)
        throw new RateLimited(status.ttlInSeconds)
      }
    }
    const account = await accounts.findByUsername(username)
    if (!(await verifyPassword(account?.passwordHash, password)) || !account) {
      await failedLogins?.(request)
      throw new InvalidCredentials()
    }
    return { user: toUser(account), token: app.signToken(account.id), expiresIn: tokenLifetimeSeconds }
  })
}

export default auth
