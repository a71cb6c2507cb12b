import t from 'tap'
import { eq } from 'drizzle-orm'
import { users } from '../src/db/schema.js'
import { encodePart as b64, sessionIdOf, signedToken } from './forged-token.js'
import { buildTestApp, register } from './helper.js'

const app = await buildTestApp(t)
const user = await register(app)

const now = () => Math.floor(Date.now() / 1000)
const me = (headers: Record<string, string>, url = '/users/me') => app.inject({ url, headers })

t.test('a valid token works', async (t) => {
  t.equal((await me(user.auth)).statusCode, 200)
  t.equal((await me({ authorization: `bearer ${user.token}` })).statusCode, 200, 'the scheme is case-insensitive')
  const forged = signedToken({ sub: String(user.id), sid: sessionIdOf(user.token), iat: now(), exp: now() + 60 })
  t.equal((await me({ authorization: `Bearer ${forged}` })).statusCode, 200, 'the forging helper itself is right')
})

t.test('missing and malformed authorization headers', async (t) => {
  const missing = await me({})
  t.equal(missing.statusCode, 401)
  t.same(missing.json(), { statusCode: 401, code: 'UNAUTHORIZED', error: 'Unauthorized', message: 'a bearer token is required: send Authorization: Bearer <token>' })
  t.equal(missing.headers['www-authenticate'], 'Bearer')
  for (const header of ['', 'Bearer', 'Bearer ', `Basic ${user.token}`, `Bearer ${user.token} extra`, 'Bearer not.a.jwt', 'Bearer abc', `Token ${user.token}`]) {
    const response = await me({ authorization: header })
    t.equal(response.statusCode, 401, JSON.stringify(header))
    t.equal(response.json().code, 'TOKEN_INVALID')
  }
})

t.test('tokens that must be refused', async (t) => {
  const claims = { sub: String(user.id), iat: now(), exp: now() + 600 }
  const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`
  const cases: Record<string, string> = {
    'alg none': none,
    'alg none with a signature': `${none}abc`,
    'HS512 with the right secret': signedToken(claims, { alg: 'HS512' }),
    'HS384 with the right secret': signedToken(claims, { alg: 'HS384' }),
    'RS256 header over an HMAC signature': signedToken(claims, { alg: 'RS256' }),
    'wrong secret': signedToken(claims, { secret: 'another-secret-another-secret-another' }),
    'tampered subject': `${user.token.split('.')[0]}.${b64({ ...claims, sub: '1' })}.${user.token.split('.')[2]}`,
    'no subject': signedToken({ iat: now(), exp: now() + 60 }),
    'numeric subject': signedToken({ sub: user.id, iat: now(), exp: now() + 60 }),
    'subject not an id': signedToken({ sub: 'admin', iat: now(), exp: now() + 60 }),
  }
  for (const [name, token] of Object.entries(cases)) {
    const response = await me({ authorization: `Bearer ${token}` })
    t.equal(response.statusCode, 401, name)
    t.equal(response.json().code, 'TOKEN_INVALID', name)
  }
})

t.test('an expired token is TOKEN_EXPIRED', async (t) => {
  const expired = signedToken({ sub: String(user.id), iat: now() - 120, exp: now() - 60 })
  const response = await me({ authorization: `Bearer ${expired}` })
  t.equal(response.statusCode, 401)
  t.equal(response.json().code, 'TOKEN_EXPIRED')
})

t.test("a deleted user's token is refused", async (t) => {
  const doomed = await register(app)
  t.equal((await me(doomed.auth)).statusCode, 200)
  await app.database.db.delete(users).where(eq(users.id, doomed.id))
  const response = await me(doomed.auth)
  t.equal(response.statusCode, 401)
  t.equal(response.json().code, 'TOKEN_INVALID')
  t.match(response.json().message, /no longer exists/)
})

t.test('?token= is not accepted outside WebSocket upgrades', async (t) => {
  const response = await app.inject({ url: `/users/me?token=${user.token}` })
  t.equal(response.statusCode, 401)
  t.equal(response.json().code, 'UNAUTHORIZED')
  const subprotocol = await me({ 'sec-websocket-protocol': `bearer, ${user.token}` })
  t.equal(subprotocol.statusCode, 401, 'nor the bearer subprotocol')
})

t.test('JWT_EXPIRES_IN sets the lifetime', async (t) => {
  const shortLived = await buildTestApp(t, { JWT_EXPIRES_IN: '90s' })
  const account = await register(shortLived)
  const claims = JSON.parse(Buffer.from(account.token.split('.')[1]!, 'base64url').toString())
  t.equal(claims.exp - claims.iat, 90)
  const login = await shortLived.inject({ method: 'POST', url: '/auth/login', payload: { username: account.username, password: account.password } })
  t.equal(login.json().expiresIn, 90)
})
