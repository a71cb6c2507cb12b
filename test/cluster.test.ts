import t, { type Test } from 'tap'
import { randomUUID } from 'node:crypto'
import postgres from 'postgres'
import { ChatClient } from './chat-helpers.js'
import { createTestDatabase, freePort } from './helper.js'
import { kill, pause, redisMissing, startRedis, subscribers, until } from './redis-helpers.js'
import { call, followOn, registerOn, startServer, type RemoteUser, type ServerProcess as Server } from './server-process.js'

// Two real server processes on one PostgreSQL database and one Redis of the test's own.
const skip = !process.env.DATABASE_URL
  ? 'DATABASE_URL is unset: several processes need a PostgreSQL server (PGlite belongs to one process)'
  : redisMissing ? 'redis-server is not installed' : false

/** Two processes on a fresh database and a fresh Redis. */
async function startCluster(t: Test, env: Record<string, string> = {}) {
  const databaseUrl = await createTestDatabase(t)
  const redisPort = await freePort()
  let redis = await startRedis(t, redisPort)
  const shared = { ...env, DATABASE_URL: databaseUrl, REDIS_URL: `redis://127.0.0.1:${redisPort}` }
  // One first, so the migrations are applied once (the advisory lock would also cope).
  const a = await startServer(t, shared)
  const b = await startServer(t, shared)
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} })
  t.teardown(() => sql.end())
  return {
    a, b, sql,
    /** Until `count` processes listen on the user's channel (each does from the user's first socket there). */
    listening: (user: User, count: number) => until(`${count} processes subscribed to user ${user.id}`,
      async () => await subscribers(redisPort, `social-api:user:${user.id}`) === count),
    async killRedis() {
      await kill(redis)
    },
    async restartRedis() {
      redis = await startRedis(t, redisPort)
    },
  }
}

type User = RemoteUser

const connect = (server: Server, user: User) => ChatClient.connect(server.chat, { token: user.token })

const message = (recipient: User, messageText: string, clientMessageId: string = randomUUID()) =>
  ({ type: 'message', recipientId: recipient.id, messageText, clientMessageId })

/** After a moment for stray frames to arrive: nothing more came. */
async function quiet(t: Test, clients: Record<string, ChatClient>) {
  await pause(300)
  for (const [name, client] of Object.entries(clients)) t.same(client.frames, [], `${name} got nothing more`)
}

async function syncAll(server: Server, user: User, after = 0) {
  const messages: Array<{ id: number, messageText: string }> = []
  let cursor: string | null = null
  do {
    const query: string = cursor ? `cursor=${encodeURIComponent(cursor)}` : `after=${after}`
    const { body } = await call<{ items: typeof messages, nextCursor: string | null }>(server, 'GET', `/messages/sync?${query}&limit=100`, user.token)
    messages.push(...body.items)
    cursor = body.nextCursor
  } while (cursor)
  return messages
}

const redisStatus = async (server: Server) => (await fetch(`${server.base}/ready`)).headers.get('redis-status')

t.test('chat across two processes', { skip }, async (t) => {
  const { a, b, sql, listening, killRedis, restartRedis } = await startCluster(t)
  const [alice, bob] = [await registerOn(a, 'cluster'), await registerOn(b, 'cluster')]
  await followOn(a, alice, bob)
  await followOn(b, bob, alice)
  t.equal(await redisStatus(a), 'up', '/ready names the Redis status in a header')
  t.same((await call(a, 'GET', '/ready')).body, { status: 'ok' }, 'and keeps its body')

  const aliceOnA = await connect(a, alice)
  const bobOnB = await connect(b, bob)
  t.teardown(() => { aliceOnA.socket.terminate(); bobOnB.socket.terminate() })
  await listening(alice, 1)
  await listening(bob, 1)

  t.test('a message crosses from one process to the other, both ways', async (t) => {
    aliceOnA.send(message(bob, 'hello from A'))
    const ack = await aliceOnA.nextOf('ack')
    const delivered = await bobOnB.nextOf('message')
    t.same({ ...delivered, type: 'ack' }, ack, 'the delivery is the stored message the ack named')
    bobOnB.send(message(alice, 'hello from B'))
    const reply = await aliceOnA.nextOf('message')
    t.equal(reply.messageText, 'hello from B')
    t.equal((await bobOnB.nextOf('ack')).id, reply.id)
    await quiet(t, { aliceOnA, bobOnB })
  })

  t.test('every socket of a user gets each message once, whichever process holds it', async (t) => {
    const aliceOnB = await connect(b, alice)
    const aliceAgainOnA = await connect(a, alice)
    const bobOnA = await connect(a, bob)
    t.teardown(() => { for (const client of [aliceOnB, aliceAgainOnA, bobOnA]) client.socket.terminate() })
    // Both processes now listen on both channels, and hear each message twice.
    await listening(alice, 2)
    await listening(bob, 2)
    aliceOnA.send(message(bob, 'to every device'))
    const ack = await aliceOnA.nextOf('ack')
    for (const [name, client] of Object.entries({ aliceOnB, aliceAgainOnA, bobOnA, bobOnB })) {
      t.equal((await client.nextOf('message')).id, ack.id, `${name} got it`)
    }
    await quiet(t, { aliceOnA, aliceOnB, aliceAgainOnA, bobOnA, bobOnB })

    t.test('a resend through the other process is acknowledged again, stored and delivered once', async (t) => {
      const clientMessageId = randomUUID()
      aliceOnA.send(message(bob, 'once only', clientMessageId))
      const first = await aliceOnA.nextOf('ack')
      for (const client of [aliceOnB, aliceAgainOnA, bobOnA, bobOnB]) t.equal((await client.nextOf('message')).id, first.id)
      aliceOnB.send(message(bob, 'once only, resent', clientMessageId))
      t.same(await aliceOnB.nextOf('ack'), first, 'the same ack, from the other process')
      await quiet(t, { aliceOnA, aliceOnB, aliceAgainOnA, bobOnA, bobOnB })
      const [{ count }] = await sql<[{ count: number }]>`select count(*)::int from messages where client_message_id = ${clientMessageId}`
      t.equal(count, 1, 'one row')
    })
  })

  t.test('an unfollow on one process stops the very next message sent through the other', async (t) => {
    const aliceOnB = await connect(b, alice)
    t.teardown(() => aliceOnB.socket.terminate())
    await listening(alice, 2)
    // Process B has the pair cached as mutual.
    aliceOnB.send(message(bob, 'before the unfollow'))
    await aliceOnB.nextOf('ack')
    await bobOnB.nextOf('message')
    await aliceOnA.nextOf('message')

    await followOn(a, bob, alice, 'DELETE')
    aliceOnB.send(message(bob, 'after the unfollow'))
    t.equal((await aliceOnB.nextOf('error')).code, 'NOT_MUTUAL_FOLLOWERS')

    await followOn(b, bob, alice)
    aliceOnA.send(message(bob, 'followed again'))
    t.equal((await aliceOnA.nextOf('ack')).messageText, 'followed again', 'a follow on B reaches A too')
    await bobOnB.nextOf('message')
    await aliceOnB.nextOf('message')
    await quiet(t, { aliceOnA, aliceOnB, bobOnB })
  })

  t.test('Redis killed and restarted mid-conversation: nothing stored is lost, live delivery resumes', async (t) => {
    aliceOnA.send(message(bob, 'just before the outage'))
    const before = await aliceOnA.nextOf('ack')
    await bobOnB.nextOf('message')

    await killRedis()
    await until('both processes see Redis down', async () => await redisStatus(a) === 'down' && await redisStatus(b) === 'down')
    t.equal((await call(a, 'GET', '/ready')).status, 200, 'Redis trouble does not make a process unready')

    const sent: number[] = []
    for (let i = 0; i < 5; i++) {
      aliceOnA.send(message(bob, `during the outage ${i}`))
      sent.push((await aliceOnA.nextOf('ack')).id)
    }
    bobOnB.send(message(alice, 'from B during the outage'))
    sent.push((await bobOnB.nextOf('ack')).id)
    // Whatever the sockets missed, the catch-up has it.
    const caughtUp = await syncAll(b, bob, before.id)
    t.same(caughtUp.map((found) => found.id), sent, 'a sync after the outage began returns every acknowledged message')
    const [{ count }] = await sql<[{ count: number }]>`select count(*)::int from messages where id = any(${sent})`
    t.equal(count, sent.length, 'all stored')
    bobOnB.frames.length = 0
    aliceOnA.frames.length = 0

    await restartRedis()
    await until('both processes see Redis up again', async () => await redisStatus(a) === 'up' && await redisStatus(b) === 'up')
    // A restarted Redis knows no subscription: each process subscribes again by itself.
    await listening(alice, 1)
    await listening(bob, 1)
    aliceOnA.send(message(bob, 'after the restart'))
    const ack = await aliceOnA.nextOf('ack')
    t.equal((await bobOnB.nextOf('message')).id, ack.id, 'live delivery across processes resumes')
    bobOnB.send(message(alice, 'and back'))
    t.equal((await aliceOnA.nextOf('message')).messageText, 'and back')
    await bobOnB.nextOf('ack')
    t.match(a.output(), /redis is unreachable/, 'the outage is logged')
    t.match(a.output(), /redis is reachable/, 'and the recovery')
    t.equal((a.output().match(/redis is unreachable/g) ?? []).length, 1, 'once per outage, not per message or per reconnection attempt')
    t.notMatch(a.output() + b.output(), /"level":50/, 'no errors logged')
  })
})

t.test('rate limits are shared by the processes', { skip }, async (t) => {
  const { a, b } = await startCluster(t, { RATE_LIMIT_LOGIN: '2/15m', CHAT_RATE_LIMIT: '2/1s' })

  t.test('failed logins spread over both processes reach one limit', async (t) => {
    const user = await registerOn(a, 'cluster')
    const attempt = (server: Server) => call(server, 'POST', '/auth/login', undefined, { username: user.username, password: 'wrong-password' })
    t.equal((await attempt(a)).status, 401)
    t.equal((await attempt(b)).status, 401)
    t.equal((await attempt(a)).status, 429, 'the third failure is refused, by either process')
    t.equal((await attempt(b)).status, 429)
  })

  t.test("a user's chat sends on both processes draw from one bucket", async (t) => {
    const [alice, bob] = [await registerOn(a, 'cluster'), await registerOn(b, 'cluster')]
    await followOn(a, alice, bob)
    await followOn(b, bob, alice)
    const aliceOnA = await connect(a, alice)
    const aliceOnB = await connect(b, alice)
    t.teardown(() => { aliceOnA.socket.terminate(); aliceOnB.socket.terminate() })
    // A burst of 2 x 2 = 4: two through each process, then the fifth is refused.
    // The answer to a send, past the deliveries of alice's messages from her other socket.
    const answer = async (client: ChatClient) => {
      for (;;) {
        const frame = await client.next()
        if (frame.type !== 'message') return frame.type === 'error' ? frame.code : frame.type
      }
    }
    const answers: string[] = []
    for (const client of [aliceOnA, aliceOnB, aliceOnA, aliceOnB]) {
      client.send(message(bob, 'burst'))
      answers.push(await answer(client))
    }
    t.same(answers, ['ack', 'ack', 'ack', 'ack'])
    aliceOnB.send(message(bob, 'one too many'))
    t.equal(await answer(aliceOnB), 'RATE_LIMITED')
  })
})
