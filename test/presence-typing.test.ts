import t from 'tap'
import { befriend, chatServer, follow, type ChatClient, type Frame } from './chat-helpers.js'
import { register } from './helper.js'

// A grace long enough for a reconnect to fall inside it. A real port: presence follows sockets
// opening and closing.
const server = await chatServer(t, { env: { CHAT_RATE_LIMIT: '1/1s', PRESENCE_GRACE: '1s' }, network: true })
const { app } = server
type Person = Awaited<ReturnType<typeof register>>
type Test = Parameters<typeof server.connect>[0]

/** Alice and Bob follow each other, Carol follows Alice; Bob and Carol are online. New people each subtest, so none sees another's presence. */
async function people(t: Test) {
  const [alice, bob, carol] = [await register(app), await register(app), await register(app)]
  await befriend(app, alice, bob)
  await follow(app, carol, alice)
  const connect = (person: Person) => server.connect(t, person, { presence: true })
  return { alice, bob, carol, connect, bobs: await connect(bob), carols: await connect(carol) }
}
const presenceOf = async (viewer: Person, of: Person) => {
  const response = await app.inject({ url: `/users/${of.id}/presence`, headers: viewer.auth })
  return { status: response.statusCode, body: response.json() }
}
/** Frames of the types given, in order, until `count` arrived. */
async function framesOf(client: ChatClient, type: Frame['type'], count: number) {
  const got: Frame[] = []
  while (got.length < count) {
    const frame = await client.next()
    if (frame.type === type) got.push(frame)
  }
  return got
}

t.test('presence: the first socket is announced to mutual followers only, the last after the grace, a reconnect within it not at all', async (t) => {
  const { alice, bob, carol, connect, bobs, carols } = await people(t)
  t.match(await presenceOf(bob, alice), { status: 200, body: { userId: alice.id, online: false, lastSeenAt: null } }, 'never seen')
  const alices = await connect(alice)
  t.same(await framesOf(bobs, 'presence', 1), [{ type: 'presence', userId: alice.id, online: true, lastSeenAt: null }])
  t.match(await presenceOf(bob, alice), { status: 200, body: { online: true, lastSeenAt: null } })
  t.match(await presenceOf(alice, alice), { status: 200, body: { online: true } }, 'yourself')
  t.match(await presenceOf(carol, alice), { status: 403, body: { code: 'NOT_MUTUAL_FOLLOWERS' } }, 'a follower who is not followed back')
  t.match(await presenceOf(alice, carol), { status: 403, body: { code: 'NOT_MUTUAL_FOLLOWERS' } })
  t.match(await presenceOf(alice, { id: 9_007_199_254_740_991 } as Person), { status: 404, body: { code: 'USER_NOT_FOUND' } })
  const other = await connect(alice)
  await alices.close()
  await other.close()
  const back = await connect(alice)
  await back.close()
  const [offline] = await framesOf(bobs, 'presence', 1)
  t.match(offline, { type: 'presence', userId: alice.id, online: false, lastSeenAt: String })
  t.match(await presenceOf(bob, alice), { status: 200, body: { online: false, lastSeenAt: (offline as { lastSeenAt: string }).lastSeenAt } })
  t.notOk(carols.frames.some((frame) => frame.type === 'presence'), 'Carol, who Alice does not follow, heard nothing')
  // Bob's next frames: the reconnect within the grace never made an online-offline pair.
  const alices2 = await connect(alice)
  t.same(await framesOf(bobs, 'presence', 1), [{ type: 'presence', userId: alice.id, online: true, lastSeenAt: null }], 'the next is the next opening')
  await alices2.close()
  await framesOf(bobs, 'presence', 1)
})

t.test('typing: relayed to the recipient, throttled per pair, never counted against messages', async (t) => {
  const { alice, bob, carol, connect, bobs, carols } = await people(t)
  const alices = await connect(alice)
  await framesOf(bobs, 'presence', 1)
  // Five, within the typing budget (bursts of 10), so the refusals below are not dropped by it.
  for (let i = 0; i < 5; i++) alices.send({ type: 'typing', recipientId: bob.id })
  alices.send({ recipientId: bob.id, messageText: 'after typing', clientMessageId: 'ty-1' })
  alices.send({ recipientId: bob.id, messageText: 'second', clientMessageId: 'ty-2' })
  t.match(await alices.next(), { type: 'ack', clientMessageId: 'ty-1' }, 'typing frames did not use the send limit (burst of 2)')
  t.match(await alices.next(), { type: 'ack', clientMessageId: 'ty-2' })
  const seen: Frame[] = []
  for (;;) {
    const frame = await bobs.next()
    seen.push(frame)
    if (frame.type === 'message' && frame.clientMessageId === 'ty-2') break
  }
  t.same(seen.filter((frame) => frame.type === 'typing'), [{ type: 'typing', userId: alice.id }], 'one passed on, the rest dropped silently')
  t.same(alices.frames, [], 'and no error for the dropped ones')
  bobs.send({ type: 'typing', recipientId: alice.id })
  t.same(await alices.next(), { type: 'typing', userId: bob.id }, 'the other direction has its own window')
  alices.frames.splice(0)
  alices.send({ type: 'typing', recipientId: carol.id })
  t.match(await alices.next(), { type: 'error', code: 'NOT_MUTUAL_FOLLOWERS' })
  alices.send({ type: 'typing', recipientId: alice.id })
  t.match(await alices.next(), { type: 'error', code: 'NOT_MUTUAL_FOLLOWERS' }, 'yourself')
  alices.send({ type: 'typing', recipientId: 9_007_199_254_740_991 })
  t.match(await alices.next(), { type: 'error', code: 'USER_NOT_FOUND' })
  alices.send({ type: 'typing', recipientId: 'x' })
  t.match(await alices.next(), { type: 'error', code: 'INVALID_MESSAGE', message: /recipientId/ })
  t.notOk(carols.frames.some((frame) => frame.type === 'typing'), 'Carol heard no typing')
  await alices.close()
})
