import t from 'tap'
import { ChatClient } from './chat-helpers.js'
import { createTestDatabase, freePort } from './helper.js'
import { redisMissing, startRedis } from './redis-helpers.js'
import { call, registerOn, startServer, type ServerProcess } from './server-process.js'

// Sessions, erasure and blocks across two real server processes on one database and one Redis.
const skip = !process.env.DATABASE_URL
  ? 'DATABASE_URL is unset: several processes need a PostgreSQL server'
  : redisMissing ? 'redis-server is not installed' : false

t.test('two processes', { skip }, async (t) => {
  const redisPort = await freePort()
  await startRedis(t, redisPort)
  const env = { DATABASE_URL: await createTestDatabase(t), REDIS_URL: `redis://127.0.0.1:${redisPort}` }
  const a = await startServer(t, env)
  const b = await startServer(t, env)
  const me = (server: ServerProcess, token: string) => call<{ code?: string }>(server, 'GET', '/users/me', token)

  t.test('a session ended on one process is refused on the other, whose sockets of it close with 1008', async (t) => {
    const user = await registerOn(a, 'revoked')
    t.equal((await me(b, user.token)).status, 200, 'B has the session cached')
    const socket = await ChatClient.connect(b.chat, { token: user.token })
    t.equal((await call(a, 'POST', '/auth/logout', user.token)).status, 204)
    t.same(await socket.closed, { code: 1008, reason: 'session ended; log in again' })
    // B closed the socket on hearing of the end, and forgot the session on the same event.
    t.equal((await me(b, user.token)).body.code, 'TOKEN_REVOKED', 'B refuses the token from then on')
  })

  t.test('an account erased on one process has its sockets closed on the other', async (t) => {
    const user = await registerOn(a, 'erased')
    const socket = await ChatClient.connect(b.chat, { token: user.token })
    t.equal((await call(a, 'POST', '/users/me/delete', user.token, { password: 'password123' })).status, 204)
    t.same(await socket.closed, { code: 1008, reason: 'session ended; log in again' })
    t.equal((await me(b, user.token)).status, 401)
  })

  t.test("a block on one process clears the other's mutual-follow cache", async (t) => {
    const [ann, ben] = [await registerOn(a, 'ann'), await registerOn(a, 'ben')]
    for (const [from, to] of [[ann, ben], [ben, ann]] as const) t.equal((await call(a, 'PUT', `/users/${to.id}/follow`, from.token)).status, 200)
    const annOnB = await ChatClient.connect(b.chat, { token: ann.token })
    t.teardown(() => annOnB.close())
    annOnB.send({ recipientId: ben.id, messageText: 'cached as mutual on B' })
    await annOnB.nextOf('ack')
    t.equal((await call(a, 'PUT', `/users/${ann.id}/block`, ben.token)).status, 200)
    // The block was answered only once B was told: B's very next message is refused.
    annOnB.send({ recipientId: ben.id, messageText: 'after the block' })
    t.match(await annOnB.nextOf('error'), { code: 'NOT_MUTUAL_FOLLOWERS' })
  })
})
