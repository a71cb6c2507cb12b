import t from 'tap'
import { readFileSync } from 'node:fs'
import { sql } from 'drizzle-orm'
import { rowsOf } from '../src/db/client.js'
import { befriend, chatServer, follow, type ChatClient, type Frame } from './chat-helpers.js'
import { register } from './helper.js'

const server = await chatServer(t)
const { app } = server
type Person = Awaited<ReturnType<typeof register>>
type Test = Parameters<typeof server.connect>[0]

/** The next frame of that type, skipping the others (deliveries of messages sent in between). */
const nextOf = <T extends Frame['type']>(client: ChatClient | undefined, type: T) => (client as ChatClient).nextWhere(type)

/**
 * Alice, Bob and Carol follow one another, each with a socket, and have written six messages;
 * Dave knows nobody. New people for each subtest, so none reads what another changed.
 */
async function inbox(t: Test) {
  const [alice, bob, carol, dave] = [await register(app), await register(app), await register(app), await register(app)]
  await befriend(app, alice, bob)
  await befriend(app, alice, carol)
  await befriend(app, bob, carol)
  const connect = (person: Person) => server.connect(t, person)
  const sockets = new Map<number, ChatClient>()
  for (const person of [alice, bob, carol]) sockets.set(person.id, await connect(person))

  /** Sends over the sender's socket and answers the stored message's id once acknowledged. */
  async function send(from: Person, to: Person, messageText = 'hi') {
    const client = sockets.get(from.id) as ChatClient
    client.send({ recipientId: to.id, messageText })
    return (await client.nextWhere('ack')).id
  }

  const toBob = [await send(alice, bob, 'one'), await send(alice, bob, 'two')]
  await send(carol, alice, 'hey')
  const toCarol = await send(alice, carol, 'hello carol')
  const bobToCarol = await send(bob, carol, 'aside')
  const lastToBob = await send(alice, bob, 'three')
  return { alice, bob, carol, dave, connect, sockets, send, toBob, toCarol, bobToCarol, lastToBob }
}

type Conversation = { user: { id: number }, lastMessage: { id: number }, unreadCount: number, readUpTo: number | null, peerReadUpTo: number | null }
type Page = { items: Conversation[], nextCursor: string | null }

const get = async <T>(person: Person, url: string) => {
  const response = await app.inject({ url, headers: person.auth })
  if (response.statusCode !== 200) throw new Error(`${url}: ${response.statusCode} ${response.body}`)
  return response.json() as T
}
const markRead = (person: Person, peer: { id: number }, upTo: unknown) =>
  app.inject({ method: 'PUT', url: `/conversations/${peer.id}/read`, headers: person.auth, payload: { upTo } })

async function walk(person: Person, limit: number) {
  const pages: Page[] = []
  let cursor: string | null = null
  do {
    pages.push(await get<Page>(person, `/conversations?limit=${limit}${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`))
    cursor = (pages.at(-1) as Page).nextCursor
  } while (cursor !== null)
  return pages
}

t.test('the inbox lists each person once, the newest message first, with unread counts kept as messages are stored', async (t) => {
  const { alice, bob, carol, dave, toCarol, bobToCarol, lastToBob } = await inbox(t)
  const [page] = await walk(alice, 20)
  t.same(page?.items.map((item) => [item.user.id, item.lastMessage.id, item.unreadCount]), [[bob.id, lastToBob, 0], [carol.id, toCarol, 1]])
  t.same(Object.keys(page?.items[0] ?? {}).sort(), ['lastMessage', 'peerReadUpTo', 'readUpTo', 'unreadCount', 'user'])
  const bobs = await walk(bob, 1)
  t.same(bobs.map((one) => one.items.map((item) => [item.user.id, item.unreadCount])), [[[alice.id, 3]], [[carol.id, 0]]], 'one per page, then null')
  t.equal(bobs.at(-1)?.nextCursor, null)
  t.same(await get(bob, '/conversations/unread'), { conversations: 1, messages: 3 })
  t.same(await get(carol, '/conversations/unread'), { conversations: 2, messages: 2 })
  t.same(await get(dave, '/conversations'), { items: [], nextCursor: null }, 'no messages, no conversations')
  t.same(await get(dave, '/conversations/unread'), { conversations: 0, messages: 0 })
  t.equal(bobToCarol > toCarol, true)
})

t.test('marking read moves the marker forward only, answers the conversation, and tells every socket of both people', async (t) => {
  const { alice, bob, connect, sockets, toBob, lastToBob } = await inbox(t)
  const bobsOther = await connect(bob)
  const first = await markRead(bob, alice, toBob[1])
  t.equal(first.statusCode, 200)
  t.match(first.json(), { user: { id: alice.id }, lastMessage: { id: lastToBob }, unreadCount: 1, readUpTo: toBob[1], peerReadUpTo: null })
  const receipt = { type: 'read', readerId: bob.id, peerId: alice.id, upTo: toBob[1] }
  t.same(await nextOf(sockets.get(alice.id), 'read'), receipt, 'the sender sees a receipt')
  t.same(await nextOf(sockets.get(bob.id), 'read'), receipt, "and the reader's devices clear their badge")
  t.same(await nextOf(bobsOther, 'read'), receipt)
  const back = await markRead(bob, alice, toBob[0])
  t.equal(back.statusCode, 200, 'a lower marker is still a 200')
  t.match(back.json(), { readUpTo: toBob[1], unreadCount: 1 }, 'and changes nothing')
  const own = await markRead(alice, bob, toBob[0])
  t.match(own.json(), { readUpTo: toBob[0], unreadCount: 0, peerReadUpTo: toBob[1] }, 'any message of the conversation will do, own ones too')
  await nextOf(sockets.get(alice.id), 'read')
  await nextOf(sockets.get(bob.id), 'read')
  await nextOf(bobsOther, 'read')
  const [page] = await walk(alice, 1)
  t.match(page?.items[0], { readUpTo: toBob[0], peerReadUpTo: toBob[1] }, 'the inbox shows the receipt')
})

t.test('bad markers', async (t) => {
  const { alice, bob, dave, toBob, bobToCarol } = await inbox(t)
  const other = await markRead(bob, alice, bobToCarol)
  t.match([other.statusCode, other.json().code], [400, 'INVALID_READ_MARKER'], 'a message of another conversation')
  const none = await markRead(bob, alice, 9_007_199_254_740_991)
  t.match([none.statusCode, none.json().code], [400, 'INVALID_READ_MARKER'], 'a message of nobody')
  const never = await markRead(dave, alice, toBob[0])
  t.match([never.statusCode, never.json().code], [404, 'CONVERSATION_NOT_FOUND'])
  const nobody = await markRead(dave, { id: 9_007_199_254_740_991 }, 1)
  t.match([nobody.statusCode, nobody.json().code], [404, 'USER_NOT_FOUND'])
  for (const upTo of [0, -1, 'abc', 1.5, null, 2 ** 53]) {
    const response = await markRead(bob, alice, upTo)
    t.match([response.statusCode, response.json().code], [400, 'FST_ERR_VALIDATION'], `upTo ${JSON.stringify(upTo)}`)
  }
  const cursor = await app.inject({ url: '/conversations?cursor=abc', headers: bob.auth })
  t.match([cursor.statusCode, cursor.json().code], [400, 'INVALID_CURSOR'])
  const foreign = (await walk(bob, 1))[0]?.nextCursor as string
  const carried = await app.inject({ url: `/conversations?cursor=${encodeURIComponent(foreign)}`, headers: alice.auth })
  t.equal(carried.statusCode, 400, "a cursor of another's inbox")
})

t.test('the read frame does what the PUT does; refusals come back as error frames', async (t) => {
  const { alice, carol, dave, sockets, toCarol, bobToCarol } = await inbox(t)
  const carols = sockets.get(carol.id) as ChatClient
  carols.send({ type: 'read', userId: alice.id, upTo: toCarol })
  const receipt = { type: 'read', readerId: carol.id, peerId: alice.id, upTo: toCarol }
  t.same(await nextOf(carols, 'read'), receipt)
  t.same(await nextOf(sockets.get(alice.id), 'read'), receipt)
  t.same(await get(carol, '/conversations/unread'), { conversations: 1, messages: 1 }, 'the conversation with Bob is still unread')
  carols.send({ type: 'read', userId: alice.id, upTo: bobToCarol })
  t.match(await nextOf(carols, 'error'), { code: 'INVALID_READ_MARKER' })
  carols.send({ type: 'read', userId: dave.id, upTo: toCarol })
  t.match(await nextOf(carols, 'error'), { code: 'CONVERSATION_NOT_FOUND' })
  carols.send({ type: 'read', userId: 9_007_199_254_740_991, upTo: toCarol })
  t.match(await nextOf(carols, 'error'), { code: 'USER_NOT_FOUND' })
  carols.send({ type: 'read', userId: alice.id })
  t.match(await nextOf(carols, 'error'), { code: 'INVALID_MESSAGE', message: /upTo/ })
  carols.send({ type: 'read', userId: '4', upTo: toCarol })
  t.match(await nextOf(carols, 'error'), { code: 'INVALID_MESSAGE', message: /userId/ }, 'the new frames take numbers only')
  carols.frames.splice(0)
  sockets.get(alice.id)?.frames.splice(0)
  carols.send({ type: 'read', userId: alice.id, upTo: toCarol })
  carols.send({ recipientId: alice.id, messageText: 'after a marker that did not move' })
  t.match(await carols.next(), { type: 'ack' }, 'a marker that does not move tells nobody')
  t.match(await sockets.get(alice.id)?.next(), { type: 'message', messageText: 'after a marker that did not move' })
})

t.test('markers set at once from several devices and routes end at the highest, with the count of what lies above it', async (t) => {
  const { bob, carol, connect, sockets, send } = await inbox(t)
  const ids: number[] = []
  for (let i = 0; i < 30; i++) ids.push(await send(carol, bob, `burst ${i}`))
  for (let i = 0; i < 30; i++) await nextOf(sockets.get(bob.id), 'message')
  const devices = [await connect(bob), await connect(bob), await connect(bob)]
  const order = [...ids].sort(() => Math.random() - 0.5).slice(0, 20)
  const highest = Math.max(...order)
  await Promise.all(order.map(async (upTo, i) => {
    if (i % 2) return (devices[i % 3] as ChatClient).send({ type: 'read', userId: carol.id, upTo })
    const response = await markRead(bob, carol, upTo)
    t.equal(response.statusCode, 200)
  }))
  const { unreadCount, readUpTo } = await (async () => {
    for (;;) {
      const conversation = (await markRead(bob, carol, ids[0])).json() as Conversation
      // The frames are handled in their own time; wait until the last of them applied.
      if (conversation.readUpTo === highest) return conversation
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  })()
  t.equal(readUpTo, highest)
  t.equal(unreadCount, ids.filter((id) => id > highest).length, 'no decrement lost or applied twice')
  const stored = await rowsOf<{ count: string }>(app.database.db, sql`select count(*) from messages where sender_id = ${carol.id} and recipient_id = ${bob.id} and id > ${highest}`)
  t.equal(Number(stored[0]?.count), unreadCount)
})

t.test('a conversation stays in the inbox after an unfollow', async (t) => {
  const { alice, carol } = await inbox(t)
  await follow(app, alice, carol, 'DELETE')
  const [page] = await walk(alice, 20)
  t.ok(page?.items.some((item) => item.user.id === carol.id))
  await follow(app, alice, carol)
})

t.test('the migration backfills the inbox the upkeep kept', async (t) => {
  const { bob, carol } = await inbox(t)
  const kept = sql`select owner_id, peer_id, last_message_id, unread_count from conversations order by owner_id, peer_id`
  const before = await rowsOf(app.database.db, kept)
  const migration = readFileSync(new URL('../drizzle/0001_conversations.sql', import.meta.url), 'utf8')
  const backfill = migration.split('--> statement-breakpoint').at(-1) as string
  await app.database.db.execute(sql`delete from conversations`)
  await app.database.db.execute(sql.raw(backfill))
  const after = await rowsOf<{ unread_count: number }>(app.database.db, kept)
  t.equal(after.length, before.length)
  t.same(after.map((row) => ({ ...row, unread_count: undefined })), before.map((row) => ({ ...row, unread_count: undefined })), 'the same people and last messages')
  const received = await rowsOf<{ count: string }>(app.database.db, sql`select count(*) from messages where recipient_id = ${bob.id} and sender_id = ${carol.id}`)
  const bobFromCarol = await rowsOf<{ unread_count: number }>(app.database.db, sql`select unread_count from conversations where owner_id = ${bob.id} and peer_id = ${carol.id}`)
  t.equal(Number(bobFromCarol[0]?.unread_count), Number(received[0]?.count), 'nothing was read before markers existed')
})
