import t from 'tap'
import { randomUUID } from 'node:crypto'
import { ChatClient, type Frame } from './chat-helpers.js'
import { createTestDatabase, freePort } from './helper.js'
import { kill, redisMissing, startRedis, subscribers, until } from './redis-helpers.js'
import { call, registerOn, startServer, type RemoteUser, type ServerProcess } from './server-process.js'

// Read, typing and presence frames between two real server processes over one Redis.
const skip = !process.env.DATABASE_URL
  ? 'DATABASE_URL is unset: several processes need a PostgreSQL server (PGlite belongs to one process)'
  : redisMissing ? 'redis-server is not installed' : false

t.test('read, typing and presence across two processes', { skip }, async (t) => {
  const databaseUrl = await createTestDatabase(t)
  const redisPort = await freePort()
  await startRedis(t, redisPort)
  const prefix = `presence-${randomUUID().slice(0, 8)}`
  const env = { DATABASE_URL: databaseUrl, REDIS_URL: `redis://127.0.0.1:${redisPort}`, REDIS_PREFIX: prefix, PRESENCE_GRACE: '300ms', PRESENCE_TTL: '4s' }
  const a = await startServer(t, env)
  const b = await startServer(t, env)
  const [alice, bob] = [await registerOn(a, 'presence'), await registerOn(b, 'presence')]
  for (const [from, to] of [[alice, bob], [bob, alice]] as const) await call(a, 'PUT', `/users/${to.id}/follow`, from.token)
  const listening = (user: RemoteUser, count: number) => until(`${count} processes on user ${user.id}'s channel`,
    async () => await subscribers(redisPort, `${prefix}:user:${user.id}`) === count)
  const open: ChatClient[] = []
  t.teardown(() => { for (const client of open) client.socket.terminate() })
  const connect = async (server: ServerProcess, user: RemoteUser) => {
    const client = await ChatClient.connect(server.chat, { token: user.token, presence: true })
    open.push(client)
    return client
  }
  const nextOf = async <T extends Frame['type']>(client: ChatClient, type: T) => {
    for (;;) {
      const frame = await client.next(15_000)
      if (frame.type === type) return frame as Extract<Frame, { type: T }>
    }
  }
  const presenceSeenBy = async (viewer: RemoteUser, of: RemoteUser, server: ServerProcess) =>
    (await call<{ online: boolean }>(server, 'GET', `/users/${of.id}/presence`, viewer.token)).body.online

  const bobOnB = await connect(b, bob)
  await listening(bob, 1)

  t.test('online while a socket is open on either process; offline once the last closes anywhere', async (t) => {
    const aliceOnA = await connect(a, alice)
    t.same(await nextOf(bobOnB, 'presence'), { type: 'presence', userId: alice.id, online: true, lastSeenAt: null })
    const aliceOnB = await connect(b, alice)
    await listening(alice, 2)
    t.equal(await presenceSeenBy(bob, alice, b), true)
    await aliceOnA.close()
    await new Promise((resolve) => setTimeout(resolve, 900))
    t.equal(await presenceSeenBy(bob, alice, a), true, 'still online: a socket is open on B, asked on A')
    t.same(bobOnB.frames.filter((frame) => frame.type === 'presence'), [], 'no offline while a socket is open elsewhere')
    await aliceOnB.close()
    t.match(await nextOf(bobOnB, 'presence'), { type: 'presence', userId: alice.id, online: false, lastSeenAt: String })
    t.equal(await presenceSeenBy(bob, alice, a), false)
  })

  t.test('typing and read markers cross processes', async (t) => {
    const aliceOnA = await connect(a, alice)
    await nextOf(bobOnB, 'presence')
    const aliceOnB = await connect(b, alice)
    await listening(alice, 2)
    aliceOnA.send({ type: 'typing', recipientId: bob.id })
    t.same(await nextOf(bobOnB, 'typing'), { type: 'typing', userId: alice.id })
    // Straight after the typing frame was passed on, well inside its 2-second window (a fixed
    // interval, not configurable): from the other process it is the same window.
    aliceOnB.send({ type: 'typing', recipientId: bob.id })
    aliceOnA.send({ recipientId: bob.id, messageText: 'read me' })
    const { id } = await nextOf(aliceOnA, 'ack')
    for (;;) {
      const frame = await bobOnB.next(15_000)
      t.not(frame.type, 'typing', 'the 2-second window is shared by both processes')
      if (frame.type === 'message') break
    }
    const marked = await call<{ readUpTo: number }>(a, 'PUT', `/conversations/${alice.id}/read`, bob.token, { upTo: id })
    t.equal(marked.status, 200)
    const receipt = { type: 'read', readerId: bob.id, peerId: alice.id, upTo: id }
    t.same(await nextOf(aliceOnA, 'read'), receipt, 'the receipt reaches the sender on A')
    t.same(await nextOf(bobOnB, 'read'), receipt, "and the reader's socket on B, though the mark was made through A")
    bobOnB.send({ type: 'typing', recipientId: alice.id })
    t.same(await nextOf(aliceOnA, 'typing'), { type: 'typing', userId: bob.id })
    await aliceOnB.close()
    await aliceOnA.close()
    await nextOf(bobOnB, 'presence')
  })

  t.test('a process killed with SIGKILL takes its users offline', async (t) => {
    // Bob listens on A before Alice comes online on B: presence is announced, not replayed.
    const bobOnA = await connect(a, bob)
    await listening(bob, 2)
    const aliceOnB = await connect(b, alice)
    t.same(await nextOf(bobOnA, 'presence'), { type: 'presence', userId: alice.id, online: true, lastSeenAt: null })
    await kill(b.child)
    await aliceOnB.closed
    // Within PRESENCE_TTL and a reap (5 s here; 20 s and 5 s by default). A TTL of 4 s, not less:
    // a process whose heartbeat (every TTL/4) a loaded machine held up would look dead.
    t.match(await nextOf(bobOnA, 'presence'), { type: 'presence', userId: alice.id, online: false, lastSeenAt: String })
    t.equal(await presenceSeenBy(bob, alice, a), false)
  })
})
