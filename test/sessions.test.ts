import t from 'tap'
import { sql } from 'drizzle-orm'
import { rowsOf } from '../src/db/client.js'
import { ChatClient, listen } from './chat-helpers.js'
import { sessionIdOf, signedToken } from './forged-token.js'
import { buildTestApp, register } from './helper.js'

const app = await buildTestApp(t, { CHAT_RATE_LIMIT: '0' })
const base = await listen(app)
const bearer = (token: string) => ({ authorization: `Bearer ${token}` })
const me = (token: string) => app.inject({ url: '/users/me', headers: bearer(token) })

async function login(user: { username: string, password: string }, userAgent = 'test-agent/1.0') {
  const response = await app.inject({ method: 'POST', url: '/auth/login', headers: { 'user-agent': userAgent }, payload: { username: user.username, password: user.password } })
  if (response.statusCode !== 200) throw new Error(`login: ${response.statusCode}`)
  return response.json().token as string
}

type SessionItem = { id: string, createdAt: string, lastUsedAt: string, userAgent: string | null, current: boolean }
const list = async (token: string, query = '') => {
  const response = await app.inject({ url: `/auth/sessions${query}`, headers: bearer(token) })
  t.equal(response.statusCode, 200, response.body)
  return response.json() as { items: SessionItem[], nextCursor: string | null }
}

t.test('every registration and login opens a session, listed newest first with current marked', async (t) => {
  const user = await register(app)
  const laptop = await login(user, 'laptop-browser')
  const phone = await login(user, 'phone-app')
  const { items, nextCursor } = await list(phone)
  t.equal(items.length, 3)
  t.equal(nextCursor, null)
  t.same(items.map((item) => item.id), [sessionIdOf(phone), sessionIdOf(laptop), sessionIdOf(user.token)], 'newest first')
  t.same(items.map((item) => item.current), [true, false, false])
  t.same(items.slice(0, 2).map((item) => item.userAgent), ['phone-app', 'laptop-browser'])
  t.same(Object.keys(items[0]!).sort(), ['createdAt', 'current', 'id', 'lastUsedAt', 'userAgent'])

  const first = await list(phone, '?limit=2')
  t.equal(first.items.length, 2)
  t.type(first.nextCursor, 'string')
  const second = await list(phone, `?limit=2&cursor=${first.nextCursor}`)
  t.same(second.items.map((item) => item.id), [sessionIdOf(user.token)])
  t.equal(second.nextCursor, null)
  const other = await register(app)
  const stolen = await app.inject({ url: `/auth/sessions?cursor=${first.nextCursor}`, headers: other.auth })
  t.equal(stolen.json().code, 'INVALID_CURSOR', "a cursor of another user's list is refused")
})

t.test('ending one session refuses its token with TOKEN_REVOKED and leaves the others', async (t) => {
  const user = await register(app)
  const other = await login(user)
  const ended = await app.inject({ method: 'DELETE', url: `/auth/sessions/${sessionIdOf(other)}`, headers: user.auth })
  t.equal(ended.statusCode, 204)
  t.equal(ended.body, '')
  const refused = await me(other)
  t.equal(refused.statusCode, 401)
  t.same(refused.json(), { statusCode: 401, code: 'TOKEN_REVOKED', error: 'Unauthorized', message: 'the session has ended; log in again' })
  t.equal((await me(user.token)).statusCode, 200)
  const again = await app.inject({ method: 'DELETE', url: `/auth/sessions/${sessionIdOf(other)}`, headers: user.auth })
  t.equal(again.statusCode, 404)
  t.equal(again.json().code, 'SESSION_NOT_FOUND')
})

t.test("another user's session and unknown or malformed ids", async (t) => {
  const [alice, bob] = [await register(app), await register(app)]
  const theirs = await app.inject({ method: 'DELETE', url: `/auth/sessions/${sessionIdOf(bob.token)}`, headers: alice.auth })
  t.equal(theirs.statusCode, 404)
  t.equal(theirs.json().code, 'SESSION_NOT_FOUND')
  t.equal((await me(bob.token)).statusCode, 200, "bob's session is untouched")
  const unknown = await app.inject({ method: 'DELETE', url: '/auth/sessions/00000000-0000-4000-8000-000000000000', headers: alice.auth })
  t.equal(unknown.json().code, 'SESSION_NOT_FOUND')
  for (const id of ['abc', 'urn:uuid:00000000-0000-4000-8000-000000000000', '00000000-0000-4000-8000-00000000000g']) {
    const malformed = await app.inject({ method: 'DELETE', url: `/auth/sessions/${encodeURIComponent(id)}`, headers: alice.auth })
    t.equal(malformed.statusCode, 400, id)
    t.match(malformed.json().message, /params\/id/, 'the message names the field')
  }
})

t.test('DELETE /auth/sessions ends every other session; logout ends this one and closes its sockets with 1008', async (t) => {
  const user = await register(app)
  const [second, third] = [await login(user), await login(user)]
  const socketOfSecond = await ChatClient.connect(`${base}/chat`, { token: second })
  const socketOfCurrent = await ChatClient.connect(`${base}/chat`, { token: user.token })
  const all = await app.inject({ method: 'DELETE', url: '/auth/sessions', headers: user.auth })
  t.equal(all.statusCode, 204)
  t.same(await socketOfSecond.closed, { code: 1008, reason: 'session ended; log in again' })
  for (const token of [second, third]) t.equal((await me(token)).json().code, 'TOKEN_REVOKED')
  t.same((await list(user.token)).items.map((item) => item.id), [sessionIdOf(user.token)])
  t.equal(socketOfCurrent.socket.readyState, socketOfCurrent.socket.OPEN, 'the current session keeps its socket')

  const logout = await app.inject({ method: 'POST', url: '/auth/logout', headers: user.auth })
  t.equal(logout.statusCode, 204)
  t.same(await socketOfCurrent.closed, { code: 1008, reason: 'session ended; log in again' })
  t.equal((await me(user.token)).json().code, 'TOKEN_REVOKED')
  const upgrade = await ChatClient.connect(`${base}/chat`, { token: user.token }).catch((error: Error) => error.message)
  t.equal(upgrade, 'upgrade refused: 401', 'nor can a socket be opened with it')
  t.equal((await app.inject({ method: 'POST', url: '/auth/logout', headers: user.auth })).statusCode, 401, 'a second logout is refused')
})

t.test('a token issued before sessions (no sid) is refused: its user logs in again', async (t) => {
  const user = await register(app)
  const now = Math.floor(Date.now() / 1000)
  const old = await me(signedToken({ sub: String(user.id), iat: now, exp: now + 60 }))
  t.equal(old.statusCode, 401)
  t.equal(old.json().code, 'TOKEN_REVOKED')
  t.match(old.json().message, /names no session/)
  const otherUsers = await register(app)
  const borrowed = await me(signedToken({ sub: String(otherUsers.id), sid: sessionIdOf(user.token), iat: now, exp: now + 60 }))
  t.equal(borrowed.json().code, 'TOKEN_REVOKED', "a session of another user's does not do")
})

t.test('lastUsedAt is written at most once a minute', async (t) => {
  const user = await register(app)
  const sid = sessionIdOf(user.token)
  const lastUsed = async () => (await rowsOf<{ last_used_at: unknown }>(app.database.db, sql`select last_used_at::text from sessions where id = ${sid}`))[0]?.last_used_at
  const before = await lastUsed()
  for (let i = 0; i < 20; i++) t.equal((await me(user.token)).statusCode, 200)
  t.equal(await lastUsed(), before, 'twenty requests within the minute write nothing')
})
