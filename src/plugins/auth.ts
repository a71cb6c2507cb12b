import fastifyJwt from '@fastify/jwt'
import type { FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { Config } from '../config.js'
import { TokenExpired, TokenInvalid, TokenRevoked, Unauthorized } from '../errors.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** onRequest/preValidation hook: sets request.userId or answers 401. */
    authenticate(request: FastifyRequest): Promise<void>
    /** A token for the session `sessionId` of the user. */
    signToken(userId: number, sessionId: string): string
  }
  interface FastifyRequest {
    userId: number
    /** The session the token names. */
    sessionId: string
    /** When the token this request was authenticated with expires (ms since the epoch). */
    tokenExpiresAt: number
  }
}

/**
 * Browsers cannot set headers on a WebSocket, so upgrades may also carry the token as
 * ?token= or as the subprotocol pair "bearer, <token>". Only upgrades: anywhere else a token in
 * a URL ends up in proxies' logs and browser history.
 */
function tokenOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization
  if (header !== undefined) {
    const [scheme, token, extra] = header.trim().split(/\s+/)
    return scheme?.toLowerCase() === 'bearer' && token && extra === undefined ? token : ''
  }
  if (!request.ws) return undefined
  const protocols = request.headers['sec-websocket-protocol']?.split(',').map((p) => p.trim())
  if (protocols?.[0] === 'bearer' && protocols[1]) return protocols[1]
  const query = request.query as Record<string, unknown> | undefined
  return typeof query?.token === 'string' ? query.token : undefined
}

export interface AuthOptions {
  jwt: Config['jwt']
  /** Whether the token's user still exists (a deleted user's token is refused). */
  userExists(userId: number): Promise<boolean>
  /** Whether the session is live and the user's (an ended session's token is refused). */
  sessionIsLive(sessionId: string, userId: number): boolean | Promise<boolean>
}

const SESSION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** How far ahead of this server's clock a token's issuer may have been. */
const CLOCK_SKEW_SECONDS = 30

/**
 * The signature proves who signed, not that the token is one this server would hand out: a
 * token without exp would never end (nor would a socket opened with it), one whose exp is
 * years away outlives every rotation. A token lives at most the configured lifetime from its
 * iat, and an iat in the future is refused.
 */
function lifetimeProblem(payload: { exp?: unknown, iat?: unknown }, lifetimeSeconds: number): string | undefined {
  const { exp, iat } = payload
  if (typeof exp !== 'number' || !Number.isFinite(exp)) return 'no expiry'
  if (typeof iat !== 'number' || !Number.isFinite(iat)) return 'no issue time'
  if (iat > Date.now() / 1000 + CLOCK_SKEW_SECONDS) return 'issued in the future'
  if (exp - iat > lifetimeSeconds) return 'it lives longer than this server allows'
  return undefined
}

export default fp<AuthOptions>(async function auth(app, { jwt, userExists, sessionIsLive }) {
  await app.register(fastifyJwt, {
    secret: jwt.secret,
    sign: { algorithm: 'HS256', expiresIn: `${jwt.expiresInSeconds}s` },
    // Pinned: a token signed with any other algorithm, or none, is refused.
    verify: { algorithms: ['HS256'] },
  })

  app.decorateRequest('userId', 0)
  app.decorateRequest('sessionId', '')
  app.decorateRequest('tokenExpiresAt', 0)
  app.decorate('signToken', (userId: number, sessionId: string) => app.jwt.sign({ sub: String(userId), sid: sessionId }))
  app.decorate('authenticate', async (request: FastifyRequest) => {
    const token = tokenOf(request)
    if (token === undefined) throw new Unauthorized()
    let payload: { sub?: unknown, sid?: unknown, exp?: unknown, iat?: unknown }
    try {
      payload = app.jwt.verify(token)
    } catch (error) {
      if ((error as { code?: string }).code === 'FAST_JWT_EXPIRED') throw new TokenExpired()
      throw new TokenInvalid('bad format, signature or algorithm')
    }
    const problem = lifetimeProblem(payload, jwt.expiresInSeconds)
    if (problem) throw new TokenInvalid(problem)
    const userId = typeof payload.sub === 'string' && /^[1-9]\d{0,15}$/.test(payload.sub) ? Number(payload.sub) : 0
    if (!Number.isSafeInteger(userId) || userId < 1) throw new TokenInvalid('no subject')
    // Tokens issued before sessions existed name none: refused, their users log in again.
    const sid = typeof payload.sid === 'string' && SESSION_ID.test(payload.sid) ? payload.sid : undefined
    const [exists, live] = await Promise.all([userExists(userId), sid !== undefined && sessionIsLive(sid, userId)])
    if (!exists) throw new TokenInvalid('its user no longer exists')
    if (sid === undefined) throw new TokenRevoked(' (the token names no session)')
    if (!live) throw new TokenRevoked('')
    request.userId = userId
    request.sessionId = sid
    request.tokenExpiresAt = (payload.exp as number) * 1000
  })
}, { name: 'auth' })
