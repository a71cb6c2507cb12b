import t from 'tap'
import { randomUUID } from 'node:crypto'
import { Redis } from 'ioredis'
import pino from 'pino'
import type { WireEvent } from '../src/plugins/event-bus.js'
import { createRedisRelay } from '../src/plugins/redis-relay.js'
import { SharedRedis } from '../src/plugins/redis.js'
import { ChatClient, befriend, listen } from './chat-helpers.js'
import { buildTestApp, freePort, register } from './helper.js'
import { pause, redisMissing, startRedis, until } from './redis-helpers.js'

// The process under test runs in this test's process; "another process" is a second relay of
// the same code on the same Redis, whose own sockets are played by attend(). Works on PGlite.
t.test('a process hears only the users it holds sockets of', { skip: redisMissing && 'redis-server is not installed' }, async (t) => {
  const port = await freePort()
  await startRedis(t, port)
  const url = `redis://127.0.0.1:${port}`
  const app = await buildTestApp(t, { REDIS_URL: url })
  const base = await listen(app)
  const connect = (user: { token: string }) => ChatClient.connect(`${base}/chat`, { token: user.token })

  // Every envelope the process's relay is handed by Redis, by channel; presence announcements
  // of this test's own connects and closes arrive on their own time (a close after a grace), so
  // only envelopes carrying something else count.
  const received: string[] = []
  app.redis!.onMessage((channel, payload) => {
    const { events } = JSON.parse(payload) as { events: Array<{ type: string }> }
    if (events.some((event) => event.type !== 'presence')) received.push(channel)
  })

  const otherRedis = new SharedRedis({ url }, pino({ level: 'silent' }))
  await otherRedis.connect()
  t.teardown(() => otherRedis.close())
  const heardElsewhere: WireEvent[] = []
  const other = await createRedisRelay(otherRedis, { receive: (event) => heardElsewhere.push(event), reset: () => {} }, pino({ level: 'silent' }), 'social-api')

  const probe = new Redis(url)
  t.teardown(() => probe.disconnect())
  const subscribers = async (userId: number) => ((await probe.pubsub('NUMSUB', `social-api:user:${userId}`)) as [string, number])[1]
  const listening = (userId: number, count: number) => until(`${count} processes on user ${userId}'s channel`, async () => await subscribers(userId) === count)

  /** Sends as the other process would, then an event for everyone: once that is heard, all before it was. */
  async function sendFromElsewhere(event: WireEvent, to: number[]) {
    const before = received.length
    void other.send(event, { to })
    await other.send({ type: 'marker', id: randomUUID() }, {})
    await until('the marker is heard', () => received.slice(before).includes('social-api:fanout'))
    return received.slice(before).filter((channel) => channel !== 'social-api:fanout')
  }
  const messageOf = (senderId: number, recipientId: number, messageText: string) => ({
    type: 'message',
    message: { id: Math.floor(Math.random() * 1e9), senderId, recipientId, messageText, clientMessageId: null, createdAt: new Date().toISOString() },
  })

  const [alice, bob] = [await register(app), await register(app)]
  await befriend(app, alice, bob)

  t.test('with no socket of either person, nothing of their conversation arrives', async (t) => {
    t.same(await sendFromElsewhere(messageOf(alice.id, bob.id, 'not for this process'), [alice.id, bob.id]), [])
    t.equal(await subscribers(alice.id), 0)
  })

  t.test("a user's first socket subscribes to their channel, the last one to close leaves it", async (t) => {
    const first = await connect(alice)
    await listening(alice.id, 1)
    const second = await connect(alice)
    t.same(await sendFromElsewhere(messageOf(bob.id, alice.id, 'to both sockets'), [bob.id, alice.id]), ['social-api:user:' + alice.id], "alice's channel only")
    t.equal((await first.nextOf('message')).messageText, 'to both sockets')
    t.equal((await second.nextOf('message')).messageText, 'to both sockets')

    first.socket.close()
    await first.closed
    await pause(200)
    t.equal(await subscribers(alice.id), 1, 'still subscribed while a socket remains')
    second.socket.close()
    await second.closed
    await listening(alice.id, 0)
    t.same(await sendFromElsewhere(messageOf(bob.id, alice.id, 'nobody here'), [bob.id, alice.id]), [], 'nothing once the last socket closed')
  })

  t.test('both people here: a message heard on both channels is delivered once', async (t) => {
    const [aliceClient, bobClient] = [await connect(alice), await connect(bob)]
    t.teardown(() => { aliceClient.socket.terminate(); bobClient.socket.terminate() })
    await listening(alice.id, 1)
    await listening(bob.id, 1)
    for (let i = 0; i < 3; i++) {
      const heard = await sendFromElsewhere(messageOf(bob.id, alice.id, `twice heard ${i}`), [bob.id, alice.id])
      t.equal(heard.length, 2, 'heard on both channels')
    }
    for (const client of [aliceClient, bobClient]) {
      for (let i = 0; i < 3; i++) t.equal((await client.nextOf('message')).messageText, `twice heard ${i}`)
    }
    await pause(200)
    t.same([aliceClient.frames, bobClient.frames], [[], []], 'once each')
  })

  t.test("this process's messages reach only the processes attending one of the two", async (t) => {
    const [aliceClient, bobClient] = [await connect(alice), await connect(bob)]
    t.teardown(() => { aliceClient.socket.terminate(); bobClient.socket.terminate() })
    await listening(alice.id, 1)
    aliceClient.send({ recipientId: bob.id, messageText: 'unheard elsewhere', clientMessageId: randomUUID() })
    await aliceClient.nextOf('ack')
    await bobClient.nextOf('message')
    await other.send({ type: 'marker' }, {})
    await pause(300)
    t.same(heardElsewhere.filter((event) => event.type === 'message'), [], 'a process with neither person hears nothing')

    const stop = other.attend!(bob.id)
    t.teardown(stop)
    await listening(bob.id, 2)
    aliceClient.send({ recipientId: bob.id, messageText: 'heard elsewhere', clientMessageId: randomUUID() })
    const ack = await aliceClient.nextOf('ack')
    await bobClient.nextOf('message')
    await until('the other process hears it', () => heardElsewhere.some((event) => event.type === 'message'))
    await pause(200)
    t.same(heardElsewhere.filter((event) => event.type === 'message').map((event) => (event.message as { id: number }).id), [ack.id], 'once, on bob\'s channel')
  })
})
