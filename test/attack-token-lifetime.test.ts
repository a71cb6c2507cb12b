import t from 'tap'
import { WebSocket } from 'ws'
import { sessionIdOf, signedToken } from './forged-token.js'
import { buildTestApp, register } from './helper.js'

// Tokens signed with the real secret but claiming lifetimes this server never hands out.
const app = await buildTestApp(t)
const user = await register(app)
const now = () => Math.floor(Date.now() / 1000)
const me = (token: string) => app.inject({ url: '/users/me', headers: { authorization: `Bearer ${token}` } })
const day = 24 * 3600

t.test('a token as the server signs it still works', async (t) => {
  const sid = sessionIdOf(user.token)
  t.equal((await me(signedToken({ sub: String(user.id), sid, iat: now(), exp: now() + day }))).statusCode, 200)
  t.equal((await me(signedToken({ sub: String(user.id), sid, iat: now() + 5, exp: now() + day }))).statusCode, 200, 'a few seconds of clock skew are tolerated')
})

t.test('tokens that would live longer than the configured lifetime are refused', async (t) => {
  const cases: Record<string, object> = {
    'no exp': { sub: String(user.id), iat: now() },
    'no exp, no iat': { sub: String(user.id) },
    'exp years away': { sub: String(user.id), iat: now(), exp: now() + 10 * 365 * day },
    'exp a day and an hour after iat': { sub: String(user.id), iat: now(), exp: now() + day + 3600 },
    'no iat': { sub: String(user.id), exp: now() + 60 },
    'iat in the future': { sub: String(user.id), iat: now() + 3600, exp: now() + 3600 + 60 },
    'exp not a number': { sub: String(user.id), iat: now(), exp: 'never' },
  }
  for (const [name, claims] of Object.entries(cases)) {
    const response = await me(signedToken(claims))
    t.equal(response.statusCode, 401, name)
    t.equal(response.json().code, 'TOKEN_INVALID', name)
  }
})

t.test('a socket cannot be opened with a token that never expires', async (t) => {
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as { port: number }
  const forever = signedToken({ sub: String(user.id), iat: now() })
  const socket = new WebSocket(`ws://127.0.0.1:${port}/chat`, ['bearer', forever])
  const status = await new Promise<number>((resolve) => {
    socket.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0))
    socket.once('open', () => resolve(101))
    socket.once('error', () => {})
  })
  socket.terminate()
  t.equal(status, 401)
})
