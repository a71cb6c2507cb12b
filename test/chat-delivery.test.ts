import t from 'tap'
import { and, eq } from 'drizzle-orm'
import { messages } from '../src/db/schema.js'
import { befriend, chatPair, chatServer, follow } from './chat-helpers.js'
import { register } from './helper.js'

// Sockets through injectWS: what is tested here is the chat, not the network.
const server = await chatServer(t)
const { app } = server

t.test('a message is acked to the sending socket and delivered to every other socket of both users', async (t) => {
  const { alice, bob } = await chatPair(t, { server })
  const [alicePhone, bobPhone] = [alice.client, bob.client]
  const [aliceLaptop, bobLaptop] = await Promise.all([server.connect(t, alice), server.connect(t, bob)])

  alicePhone.send({ type: 'message', recipientId: bob.id, messageText: 'Hello', clientMessageId: 'c-1' })
  const ack = await alicePhone.nextOf('ack')
  t.match(ack, { senderId: alice.id, recipientId: bob.id, messageText: 'Hello', clientMessageId: 'c-1' })
  const { type: _, ...message } = ack
  for (const [name, client] of [['bob phone', bobPhone], ['bob laptop', bobLaptop], ["alice's other device", aliceLaptop]] as const) {
    t.same(await client.next(), { type: 'message', ...message }, name)
  }
  const stored = await app.database.db.select().from(messages).where(eq(messages.id, message.id))
  t.equal(stored.length, 1, 'stored before the ack')
  t.equal(stored[0]?.createdAt.toISOString(), message.createdAt)

  bobLaptop.send({ recipientId: alice.id, messageText: 'Hi!' })
  const reply = await bobLaptop.nextOf('ack')
  t.match(reply, { senderId: bob.id, recipientId: alice.id, clientMessageId: null })
  t.ok(reply.id > message.id, 'ids grow')
  for (const client of [alicePhone, aliceLaptop, bobPhone]) t.match(await client.next(), { type: 'message', messageText: 'Hi!' })
})

t.test("the old service's form and path: { senderId, recipientId, messageText } at /?token=", async (t) => {
  const [alice, bob] = [await register(app), await register(app)]
  await befriend(app, alice, bob)
  const [aliceClient, bobClient] = await Promise.all([server.connect(t, alice, { path: '/' }), server.connect(t, bob, { path: '/' })])
  aliceClient.send({ senderId: alice.id, recipientId: bob.id, messageText: 'old client' })
  t.match(await aliceClient.next(), { type: 'ack', messageText: 'old client' })
  t.match(await bobClient.next(), { type: 'message', senderId: alice.id, messageText: 'old client' })
})

t.test('one socket sees its frames stored in the order it sent them', async (t) => {
  const { alice, bob } = await chatPair(t, { server })
  const carol = await register(app)
  await befriend(app, alice, carol)
  const aliceClient = alice.client
  for (let i = 0; i < 30; i++) aliceClient.send({ recipientId: i % 3 ? bob.id : carol.id, messageText: `m${i}`, clientMessageId: `order-${i}` })
  const acks = []
  for (let i = 0; i < 30; i++) acks.push(await aliceClient.nextOf('ack'))
  t.same(acks.map((ack) => ack.messageText), Array.from({ length: 30 }, (_, i) => `m${i}`))
  const ids = acks.map((ack) => ack.id)
  t.same(ids, [...ids].sort((a, b) => a - b), 'ids follow the order sent')
})

t.test('an unfollow stops the very next message, and a follow back allows it again', async (t) => {
  const { alice, bob } = await chatPair(t, { server })
  const [aliceClient, bobClient] = [alice.client, bob.client]

  aliceClient.send({ recipientId: bob.id, messageText: 'before' })
  t.match(await aliceClient.next(), { type: 'ack' })
  t.match(await bobClient.next(), { type: 'message', messageText: 'before' })

  await follow(app, bob, alice, 'DELETE')
  aliceClient.send({ recipientId: bob.id, messageText: 'after unfollow', clientMessageId: 'u-1' })
  t.same(await aliceClient.next(), {
    type: 'error', code: 'NOT_MUTUAL_FOLLOWERS', message: `you and user ${bob.id} do not follow each other`, clientMessageId: 'u-1',
  })
  bobClient.send({ recipientId: alice.id, messageText: 'nor the other way' })
  t.match(await bobClient.next(), { type: 'error', code: 'NOT_MUTUAL_FOLLOWERS' })

  await follow(app, bob, alice)
  aliceClient.send({ recipientId: bob.id, messageText: 'friends again' })
  t.match(await aliceClient.next(), { type: 'ack', messageText: 'friends again' })
  t.match(await bobClient.next(), { type: 'message', messageText: 'friends again' }, 'the refused messages were never delivered')
  const rows = await app.database.db.select().from(messages).where(and(eq(messages.senderId, alice.id), eq(messages.recipientId, bob.id)))
  t.same(rows.map((row) => row.messageText), ['before', 'friends again'])
})

t.test('following one way is not enough; strangers, unknown users and yourself are refused', async (t) => {
  const [alice, bob, stranger] = [await register(app), await register(app), await register(app)]
  await follow(app, alice, bob)
  const aliceClient = await server.connect(t, alice)
  const cases: Array<[number, string, string]> = [
    [bob.id, 'NOT_MUTUAL_FOLLOWERS', `you and user ${bob.id} do not follow each other`],
    [stranger.id, 'NOT_MUTUAL_FOLLOWERS', `you and user ${stranger.id} do not follow each other`],
    [alice.id, 'NOT_MUTUAL_FOLLOWERS', 'you cannot message yourself'],
    [987654321, 'USER_NOT_FOUND', 'user 987654321 not found'],
  ]
  for (const [recipientId, code, message] of cases) {
    aliceClient.send({ recipientId, messageText: 'hi', clientMessageId: `to-${recipientId}` })
    t.same(await aliceClient.next(), { type: 'error', code, message, clientMessageId: `to-${recipientId}` }, code)
  }
  const rows = await app.database.db.select().from(messages).where(eq(messages.senderId, alice.id))
  t.equal(rows.length, 0)
})

t.test('a resend with the same clientMessageId, from another socket later, gets the identical ack and no second delivery', async (t) => {
  const { alice, bob } = await chatPair(t, { server })
  const [phone, bobClient] = [alice.client, bob.client]
  const frame = { recipientId: bob.id, messageText: 'only once', clientMessageId: 'dup-1' }
  phone.send(frame)
  const first = await phone.next()
  t.match(first, { type: 'ack', messageText: 'only once' })
  t.match(await bobClient.next(), { type: 'message', messageText: 'only once' })
  await phone.close()

  const laptop = await server.connect(t, alice)
  laptop.send(frame)
  t.same(await laptop.next(), first, 'identical ack')
  laptop.send({ ...frame, messageText: 'a different text, same id' })
  t.same(await laptop.next(), first, 'the stored message wins')

  // Same tick, same batch: still one row.
  laptop.send({ ...frame, clientMessageId: 'dup-2' })
  laptop.send({ ...frame, clientMessageId: 'dup-2' })
  const [a, b] = [await laptop.next(), await laptop.next()]
  t.same(a, b)
  t.match(await bobClient.next(), { type: 'message', clientMessageId: 'dup-2' })

  laptop.send({ recipientId: bob.id, messageText: 'marker' })
  t.match(await laptop.next(), { type: 'ack', messageText: 'marker' })
  t.match(await bobClient.next(), { type: 'message', messageText: 'marker' }, 'no duplicate was delivered before the marker')
  const rows = await app.database.db.select().from(messages).where(eq(messages.senderId, alice.id))
  t.same(rows.map((row) => row.clientMessageId).sort(), ['dup-1', 'dup-2', null])
})

t.test('a resend of a message stored before an unfollow is still acknowledged', async (t) => {
  const { alice, bob } = await chatPair(t, { server })
  const aliceClient = alice.client
  aliceClient.send({ recipientId: bob.id, messageText: 'sent', clientMessageId: 'kept' })
  const ack = await aliceClient.next()
  await follow(app, alice, bob, 'DELETE')
  aliceClient.send({ recipientId: bob.id, messageText: 'sent', clientMessageId: 'kept' })
  t.same(await aliceClient.next(), ack)
})
