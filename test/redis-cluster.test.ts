import t from 'tap'
import { randomUUID } from 'node:crypto'
import { Redis } from 'ioredis'
import { loadConfig } from '../src/config.js'
import { ChatClient } from './chat-helpers.js'
import { createTestDatabase, TEST_SECRET } from './helper.js'
import { pause, redisMissing, startRedisCluster, until } from './redis-helpers.js'
import { befriendOn as befriend, call, registerOn, startServer, type RemoteUser, type ServerProcess as Server } from './server-process.js'

// Two real server processes on one PostgreSQL database and a 3-node Redis Cluster of the
// test's own, started from the machine's redis-server.
const skip = !process.env.DATABASE_URL
  ? 'DATABASE_URL is unset: several processes need a PostgreSQL server (PGlite belongs to one process)'
  : redisMissing ? 'redis-server is not installed' : false

type User = RemoteUser

const message = (recipient: User, messageText: string) => ({ recipientId: recipient.id, messageText, clientMessageId: randomUUID() })

t.test('two processes chatting across a Redis Cluster', { skip }, async (t) => {
  const { nodes, ports } = await startRedisCluster(t)
  const env = { DATABASE_URL: await createTestDatabase(t), REDIS_CLUSTER_NODES: nodes, RATE_LIMIT_LOGIN: '2/15m', CHAT_RATE_LIMIT: '2/1s' }
  const a = await startServer(t, env)
  const b = await startServer(t, env)
  t.equal((await fetch(`${a.base}/ready`)).headers.get('redis-status'), 'up')

  // SHARDNUMSUB counts the subscribers of the node asked (only the node owning the channel's
  // slot has any): the sum over the nodes.
  const probes = ports.map((port) => new Redis(port, '127.0.0.1'))
  t.teardown(() => { for (const probe of probes) probe.disconnect() })
  const subscribers = async (user: User) => {
    const counts = await Promise.all(probes.map((probe) => probe.call('PUBSUB', 'SHARDNUMSUB', `social-api:user:${user.id}`) as Promise<[string, number]>))
    return counts.reduce((sum, [, count]) => sum + count, 0)
  }
  const listening = (user: User, count: number) => until(`${count} processes on user ${user.id}'s shard channel`, async () => await subscribers(user) === count)

  const [alice, bob] = [await registerOn(a, 'shard'), await registerOn(b, 'shard')]
  await befriend(a, alice, bob)

  t.test('a message crosses from one process to the other, both ways, over shard channels', async (t) => {
    const aliceOnA = await ChatClient.connect(a.chat, { token: alice.token })
    const bobOnB = await ChatClient.connect(b.chat, { token: bob.token })
    t.teardown(() => { aliceOnA.socket.terminate(); bobOnB.socket.terminate() })
    await listening(alice, 1)
    await listening(bob, 1)

    aliceOnA.send(message(bob, 'hello from A'))
    const ack = await aliceOnA.nextOf('ack')
    t.same({ ...await bobOnB.nextOf('message'), type: 'ack' }, ack, 'delivered on B')
    bobOnB.send(message(alice, 'hello from B'))
    const reply = await aliceOnA.nextOf('message')
    t.equal(reply.messageText, 'hello from B', 'delivered on A')
    t.equal((await bobOnB.nextOf('ack')).id, reply.id)

    // Both processes attending both users: each hears every message on two channels, on
    // whichever nodes own their slots, and delivers it once.
    const bobOnA = await ChatClient.connect(a.chat, { token: bob.token })
    const aliceOnB = await ChatClient.connect(b.chat, { token: alice.token })
    t.teardown(() => { bobOnA.socket.terminate(); aliceOnB.socket.terminate() })
    await listening(alice, 2)
    await listening(bob, 2)
    aliceOnA.send(message(bob, 'to every device'))
    const second = await aliceOnA.nextOf('ack')
    for (const [name, client] of Object.entries({ bobOnA, bobOnB, aliceOnB })) t.equal((await client.nextOf('message')).id, second.id, `${name} got it`)
    await pause(300)
    for (const [name, client] of Object.entries({ aliceOnA, bobOnA, bobOnB, aliceOnB })) t.same(client.frames, [], `${name} got it once`)
  })

  t.test('the last socket closed, the process leaves the shard channel', async (t) => {
    await listening(alice, 0)
    await listening(bob, 0)
    t.pass('no process listens on either channel')
  })

  t.test('rate limits are counted across the cluster, a script call per slot', async (t) => {
    const login = (server: Server) => call(server, 'POST', '/auth/login', undefined, { username: alice.username, password: 'wrong-password' })
    t.same([(await login(a)).status, (await login(b)).status, (await login(a)).status], [401, 401, 429], 'failed logins on both processes meet one limit')

    // Users who have sent nothing yet: full buckets.
    const [dave, carol] = [await registerOn(a, 'shard'), await registerOn(a, 'shard')]
    await befriend(a, dave, bob)
    await befriend(a, carol, bob)
    const daveOnA = await ChatClient.connect(a.chat, { token: dave.token })
    const daveOnB = await ChatClient.connect(b.chat, { token: dave.token })
    const carolOnA = await ChatClient.connect(a.chat, { token: carol.token })
    t.teardown(() => { for (const client of [daveOnA, daveOnB, carolOnA]) client.socket.terminate() })
    const answer = async (client: ChatClient) => {
      for (;;) {
        const frame = await client.next()
        if (frame.type !== 'message') return frame.type === 'error' ? frame.code : frame.type
      }
    }
    // Frames of two users in one turn of the event loop: their buckets live on different slots.
    const answers: string[] = []
    for (const client of [daveOnA, daveOnB, daveOnA, daveOnB]) {
      client.send(message(bob, 'burst'))
      carolOnA.send(message(bob, 'alongside'))
      answers.push(await answer(client))
      t.equal(await answer(carolOnA), 'ack', 'carol, alongside, within her own limit')
    }
    t.same(answers, ['ack', 'ack', 'ack', 'ack'], "a burst of twice dave's rate, through both processes")
    daveOnB.send(message(bob, 'one too many'))
    t.equal(await answer(daveOnB), 'RATE_LIMITED', 'then refused')
    t.notMatch(a.output() + b.output(), /"level":50/, 'no errors logged')
  })
})

t.test('REDIS_CLUSTER_NODES is a list of host:port, and excludes REDIS_URL', async (t) => {
  const base = { JWT_SECRET: TEST_SECRET, DATABASE_URL: 'memory://' }
  t.same(loadConfig({ ...base, REDIS_CLUSTER_NODES: 'redis-a:7000,10.0.0.2:7001' }).redis, {
    clusterNodes: [{ host: 'redis-a', port: 7000 }, { host: '10.0.0.2', port: 7001 }],
  })
  t.same(loadConfig({ ...base, REDIS_URL: 'redis://r:6379' }).redis, { url: 'redis://r:6379' })
  for (const nodes of ['redis-a', 'redis-a:7000,', 'redis-a:x', 'redis://a:7000']) {
    t.throws(() => loadConfig({ ...base, REDIS_CLUSTER_NODES: nodes }), { name: 'ConfigError', message: /^REDIS_CLUSTER_NODES: / }, nodes)
  }
  t.throws(() => loadConfig({ ...base, REDIS_URL: 'redis://r:6379', REDIS_CLUSTER_NODES: 'a:7000' }), { name: 'ConfigError', message: /not both/ })
})
