import t from 'tap'
import { createSendLimit } from '../src/features/chat/send-limit.js'
import { ChatClient, chatPair, chatServer } from './chat-helpers.js'
import { sessionIdOf, signedToken } from './forged-token.js'
import { register } from './helper.js'

t.test('the send limit is a token bucket: bursts of twice the rate, refilled at the rate', async (t) => {
  let now = 0
  const limit = createSendLimit({ max: 10, windowMs: 1000 }, () => now)
  const burst = Array.from({ length: 25 }, () => limit.take(1))
  t.equal(burst.filter(Boolean).length, 20, 'a burst of 20')
  t.notOk(limit.take(1))
  t.ok(limit.take(2), 'per user')
  now += 100
  t.ok(limit.take(1), 'one more after a tenth of the window')
  t.notOk(limit.take(1))
  now += 60_000
  t.equal(Array.from({ length: 25 }, () => limit.take(1)).filter(Boolean).length, 20, 'never more than the burst, however long the pause')
  now += 60_000
  limit.sweep()
  now += 1
  t.equal(Array.from({ length: 25 }, () => limit.take(1)).filter(Boolean).length, 20, 'a swept bucket starts full')
})

t.test('over the chat rate limit, messages get RATE_LIMITED, per user across sockets', async (t) => {
  const { alice, bob, ...server } = await chatPair(t, { env: { CHAT_RATE_LIMIT: '3/1h' } })
  const [phone, bobClient] = [alice.client, bob.client]
  const laptop = await server.connect(t, alice)

  for (let i = 0; i < 4; i++) phone.send({ recipientId: bob.id, messageText: `m${i}`, clientMessageId: `p-${i}` })
  for (let i = 0; i < 4; i++) t.match(await phone.nextOf('ack'), { clientMessageId: `p-${i}` })
  for (let i = 0; i < 3; i++) laptop.send({ recipientId: bob.id, messageText: `l${i}`, clientMessageId: `l-${i}` })
  t.match(await laptop.next(), { type: 'message', clientMessageId: 'p-0' }, "the phone's messages reach the laptop")
  for (let i = 1; i < 4; i++) await laptop.nextOf('message')
  // A refusal is immediate while an ack waits for the database, so it may come first.
  const answers = [await laptop.next(), await laptop.next(), await laptop.next()]
  const byId = Object.fromEntries(answers.map((frame) => ['clientMessageId' in frame ? frame.clientMessageId : undefined, frame]))
  t.match(byId['l-0'], { type: 'ack' })
  t.match(byId['l-1'], { type: 'ack' }, 'the sixth message of the burst passes')
  t.same(byId['l-2'], { type: 'error', code: 'RATE_LIMITED', message: 'too many messages; slow down', clientMessageId: 'l-2' })
  t.match(await phone.nextOf('message'), { clientMessageId: 'l-0' })
  t.match(await phone.nextOf('message'), { clientMessageId: 'l-1' })
  phone.send({ recipientId: bob.id, messageText: 'again' })
  t.match(await phone.nextOf('error'), { code: 'RATE_LIMITED' }, 'the other socket is limited too: one bucket per user')

  bobClient.send({ recipientId: alice.id, messageText: 'bob is not limited by alice' })
  for (let i = 0; i < 6; i++) await bobClient.nextOf('message')
  t.match(await bobClient.nextOf('ack'), { senderId: bob.id })
})

t.test('CHAT_RATE_LIMIT=0 turns the limit off', async (t) => {
  const { alice, bob } = await chatPair(t)
  const client = alice.client
  for (let i = 0; i < 60; i++) client.send({ recipientId: bob.id, messageText: `m${i}` })
  for (let i = 0; i < 60; i++) await client.nextOf('ack')
  t.pass('60 messages in a burst, all acknowledged')
})

t.test('heartbeats: a peer that stops answering pings is dropped, a live one stays', async (t) => {
  // Pings and a peer that stops answering them: a real port.
  const { app, url: base } = await chatServer(t, { build: { chat: { heartbeatMs: 100 } }, network: true })
  const user = await register(app)
  const live = await ChatClient.connect(`${base}/chat`, { token: user.token })
  const dead = await ChatClient.connect(`${base}/chat`, { token: user.token, ws: { autoPong: false } })
  t.teardown(() => live.close())
  let pings = 0
  const threePings = new Promise<void>((resolve) => live.socket.on('ping', () => ++pings === 3 && resolve()))
  const { code } = await dead.closed
  t.equal(code, 1006, 'cut without a closing handshake')
  await threePings
  t.equal(live.socket.readyState, live.socket.OPEN, 'the socket that answers stays open')
})

t.test('a session ends with 1008 when the token it was opened with expires', async (t) => {
  const { app, url: base } = await chatServer(t, { build: { chat: { heartbeatMs: 250 } }, network: true })
  const user = await register(app)
  const now = Math.floor(Date.now() / 1000)
  const shortLived = await ChatClient.connect(`${base}/chat`, { protocols: ['bearer', signedToken({ sub: String(user.id), sid: sessionIdOf(user.token), iat: now, exp: now + 2 })] })
  const longLived = await ChatClient.connect(`${base}/chat`, { token: user.token })
  t.teardown(() => longLived.close())
  t.same(await shortLived.closed, { code: 1008, reason: 'token expired; reconnect with a fresh token' })
  t.ok(Date.now() >= (now + 2) * 1000, 'not before the expiry')
  t.equal(longLived.socket.readyState, longLived.socket.OPEN, 'a socket with a valid token stays')
})

t.test('a reader that falls too far behind is dropped instead of buffered for', async (t) => {
  // Backpressure is the network's: a real port.
  const { alice, bob } = await chatPair(t, { build: { chat: { maxBufferedBytes: 64 * 1024 } }, network: true })
  const [sender, slow] = [alice.client, bob.client]
  slow.socket.pause()
  let closed = false
  void slow.closed.then(() => { closed = true })
  const text = 'x'.repeat(4000)
  // Kernel buffers on loopback hold a few MiB before the server's own buffer grows.
  const count = 3000
  for (let sent = 0; sent < count; sent += 100) {
    for (let i = 0; i < 100; i++) sender.send({ recipientId: bob.id, messageText: text })
    for (let i = 0; i < 100; i++) await sender.nextOf('ack')
  }
  slow.socket.resume()
  const { code } = await slow.closed
  t.ok(closed)
  t.equal(code, 1006, 'the slow socket was cut')
  t.ok(slow.frames.length < count, `it got ${slow.frames.length} of ${count} messages before being cut`)
  sender.send({ recipientId: bob.id, messageText: 'the server carries on' })
  t.match(await sender.nextOf('ack'), { messageText: 'the server carries on' })
})
