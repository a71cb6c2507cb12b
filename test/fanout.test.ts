import t from 'tap'
import { randomUUID } from 'node:crypto'
import { sql } from 'drizzle-orm'
import { Redis } from 'ioredis'
import { chatPair, follow } from './chat-helpers.js'
import { freePort, register } from './helper.js'
import { kill, pause, redisMissing, startRedis, until } from './redis-helpers.js'

// One process with REDIS_URL, in this test's process (so its code counts), and "another
// process" played by a plain Redis client on the users' channels and the shared one. Works on
// PGlite too.
const EVERYONE = 'social-api:fanout'
const channelOf = (user: { id: number }) => `social-api:user:${user.id}`

t.test('one process with REDIS_URL, and another played by the test', { skip: redisMissing && 'redis-server is not installed' }, async (t) => {
  const port = await freePort()
  let server = await startRedis(t, port)
  // The per-process send limit (while Redis is away) runs on this clock, moved by the test.
  let clock = 0
  const { app, alice, bob } = await chatPair(t, {
    env: { REDIS_URL: `redis://127.0.0.1:${port}`, CHAT_RATE_LIMIT: '2/1s', RATE_LIMIT_LOGIN: '2/15m' },
    build: { chat: { now: () => clock } },
    network: true,
  })
  const [aliceClient, bobClient] = [alice.client, bob.client]

  const other = new Redis(`redis://127.0.0.1:${port}`, { retryStrategy: () => 100, maxRetriesPerRequest: null })
  const listener = new Redis(`redis://127.0.0.1:${port}`, { retryStrategy: () => 100 })
  other.on('error', () => {})
  listener.on('error', () => {})
  t.teardown(() => { other.disconnect(); listener.disconnect() })
  const heard: Array<{ channel: string, origin: string, events: Array<Record<string, unknown>> }> = []
  listener.on('message', (channel: string, payload: string) => {
    const envelope = JSON.parse(payload) as { origin: string, events: Array<Record<string, unknown>> }
    // Presence is announced as sockets open, at times of its own; these tests count the rest.
    if (!envelope.events.every((event) => event.type === 'presence')) heard.push({ channel, ...envelope })
  })
  const publishAsOther = (channel: string, events: unknown[]) =>
    other.publish(channel, JSON.stringify({ origin: 'another-process', events }))
  const heardEvents = () => heard.flatMap((envelope) => envelope.events)
  const subscribers = async (channel: string) => ((await other.pubsub('NUMSUB', channel)) as [string, number])[1]

  await listener.subscribe(EVERYONE, channelOf(alice), channelOf(bob))
  // The process subscribes to a user's channel when their first socket opens.
  await until("the process listens on both users' channels", async () => await subscribers(channelOf(alice)) === 2 && await subscribers(channelOf(bob)) === 2)

  t.test('a stored message is acknowledged and delivered here, then published once', async (t) => {
    heard.length = 0
    aliceClient.send({ recipientId: bob.id, messageText: 'published', clientMessageId: randomUUID() })
    const ack = await aliceClient.nextOf('ack')
    t.equal((await bobClient.nextOf('message')).id, ack.id)
    await until('the other process hears it on both channels', () => heard.length === 2)
    const { type: _, ...message } = ack
    t.same(heard.map(({ channel }) => channel).sort(), [channelOf(alice), channelOf(bob)].sort(), "once on each user's channel")
    for (const envelope of heard) t.same(envelope.events, [{ type: 'message', message }])
    t.equal(new Set(heard.map((envelope) => envelope.origin)).size, 1, 'tagged with this process')
  })

  t.test("another process's message reaches every socket here of both users; this process's own never comes back", async (t) => {
    const message = { id: 999_999, senderId: bob.id, recipientId: alice.id, messageText: 'from elsewhere', clientMessageId: null, createdAt: new Date().toISOString() }
    // As another process's relay does: the same event on both users' channels.
    for (const user of [bob, alice]) await publishAsOther(channelOf(user), [{ type: 'message', message }])
    t.same(await aliceClient.nextOf('message'), { type: 'message', ...message })
    t.same(await bobClient.nextOf('message'), { type: 'message', ...message }, "the sender's sockets here too")
    await publishAsOther(channelOf(alice), [{ type: 'message', message: { ...message, senderId: 123_456, recipientId: 654_321 } }])
    await pause(200)
    t.same([aliceClient.frames, bobClient.frames], [[], []], 'once each although heard twice, nothing for users with no socket here')
  })

  t.test('a follow change announced by another process resets the cached pair here', async (t) => {
    aliceClient.send({ recipientId: bob.id, messageText: 'cached as mutual' })
    await aliceClient.nextOf('ack')
    await bobClient.nextOf('message')
    // As another process would: change the database, then announce it.
    await app.database.db.execute(sql`delete from follows where follower_id = ${bob.id} and followee_id = ${alice.id}`)
    await publishAsOther(EVERYONE, [{ type: 'follow', followerId: bob.id, followeeId: alice.id }])
    await until('the change is applied', async () => {
      aliceClient.send({ recipientId: bob.id, messageText: 'after the unfollow elsewhere' })
      const answer = await aliceClient.next()
      if (answer.type === 'ack') await bobClient.nextOf('message')
      return answer.type === 'error' && answer.code === 'NOT_MUTUAL_FOLLOWERS'
    })
    heard.length = 0
    await follow(app, bob, alice)
    await until('the other process hears the change', () => heardEvents().length > 0)
    t.same(heardEvents(), [{ type: 'follow', followerId: bob.id, followeeId: alice.id }], 'a change made here is published')
    t.same(heard.map(({ channel }) => channel), [EVERYONE], 'on the channel every process listens on')
  })

  t.test('rate limits are counted in Redis', async (t) => {
    const login = () => app.inject({ method: 'POST', url: '/auth/login', payload: { username: alice.username, password: 'wrong-password' } })
    t.same([(await login()).statusCode, (await login()).statusCode, (await login()).statusCode], [401, 401, 429])
    t.ok((await other.keys('social-api:password-attempts:*')).length > 0, 'failed logins')
    // The messages of the subtests before took from Alice's bucket; Redis's clock cannot be
    // moved, and a bucket with no key is a full one.
    await other.del(`social-api:chat-limit:${alice.id}`)
    const answers = []
    for (let i = 0; i < 5; i++) {
      aliceClient.send({ recipientId: bob.id, messageText: `burst ${i}` })
      const answer = await aliceClient.next()
      answers.push(answer.type === 'error' ? answer.code : answer.type)
    }
    t.same(answers, ['ack', 'ack', 'ack', 'ack', 'RATE_LIMITED'], 'a burst of twice the rate, then refused')
    t.ok((await other.exists(`social-api:chat-limit:${alice.id}`)) === 1, 'chat sends')
    for (let i = 0; i < 4; i++) await bobClient.nextOf('message')
  })

  t.test('Redis away: the process serves alone and says so; back: all resumes', async (t) => {
    await kill(server)
    await until('/ready says redis is down', async () => (await app.inject({ url: '/ready' })).headers['redis-status'] === 'down')
    const ready = await app.inject({ url: '/ready' })
    t.equal(ready.statusCode, 200)
    t.same(ready.json(), { status: 'ok' })
    // This process's own bucket now: a full one, whatever took from it before.
    clock += 2000
    aliceClient.send({ recipientId: bob.id, messageText: 'while Redis is away' })
    const ack = await aliceClient.nextOf('ack')
    t.equal((await bobClient.nextOf('message')).id, ack.id, 'local sockets are still served')
    t.equal((await follow(app, alice, bob, 'DELETE').then(() => 'done')), 'done', 'a follow change does not wait for Redis')
    aliceClient.send({ recipientId: bob.id, messageText: 'not mutual now' })
    t.equal((await aliceClient.nextOf('error')).code, 'NOT_MUTUAL_FOLLOWERS')
    await follow(app, alice, bob)
    const bob2 = await register(app)
    const login = () => app.inject({ method: 'POST', url: '/auth/login', payload: { username: bob2.username, password: 'wrong-password' } })
    t.same([(await login()).statusCode, (await login()).statusCode, (await login()).statusCode], [401, 401, 429], 'logins are limited per process meanwhile')

    server = await startRedis(t, port)
    await until('/ready says redis is up', async () => (await app.inject({ url: '/ready' })).headers['redis-status'] === 'up')
    await until('the listener is back', () => listener.status === 'ready')
    heard.length = 0
    aliceClient.send({ recipientId: bob.id, messageText: 'Redis is back' })
    await aliceClient.nextOf('ack')
    await bobClient.nextOf('message')
    await until('published again', () => heardEvents().some((event) => event.type === 'message'))
    await until("the process is back on the users' channels by itself", async () => await subscribers(channelOf(alice)) === 2)
    const message = { id: 999_998, senderId: bob.id, recipientId: alice.id, messageText: 'resubscribed', clientMessageId: null, createdAt: new Date().toISOString() }
    for (const user of [bob, alice]) await publishAsOther(channelOf(user), [{ type: 'message', message }])
    t.equal((await aliceClient.nextOf('message')).messageText, 'resubscribed', 'the process subscribed again by itself')
    t.equal((await bobClient.nextOf('message')).messageText, 'resubscribed')
  })
})
