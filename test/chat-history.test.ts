import t from 'tap'
import type { App } from '../src/app.js'
import { befriend, chatPair, chatServer, type ChatClient } from './chat-helpers.js'
import { register } from './helper.js'

// What the subtests read is made here, once; none of them adds to it.
const server = await chatServer(t)
const { app, alice, bob } = await chatPair(t, { server })
const carol = await register(app)
await befriend(app, alice, carol)

type Page = { items: Array<{ id: number, senderId: number, recipientId: number, messageText: string }>, nextCursor: string | null }

async function walk(app: App, auth: Record<string, string>, url: string) {
  const pages: Page[] = []
  let cursor: string | null = null
  do {
    const separator: string = url.includes('?') ? '&' : '?'
    const response = await app.inject({ url: cursor === null ? url : `${url}${separator}cursor=${encodeURIComponent(cursor)}`, headers: auth })
    if (response.statusCode !== 200) throw new Error(`${url}: ${response.statusCode} ${response.body}`)
    const page = response.json() as Page
    pages.push(page)
    cursor = page.nextCursor
  } while (cursor !== null)
  return pages
}

/** A talks to B and back, `count` messages: their ids. `aside`: A also writes to C in between. */
async function toAndFro(a: { id: number, client: ChatClient }, b: { id: number, client: ChatClient }, count: number, aside?: { id: number }) {
  const ids: number[] = []
  for (let i = 0; i < count; i++) {
    const [from, to] = i % 2 ? [b.client, a] : [a.client, b]
    from.send({ recipientId: to.id, messageText: `to and fro ${i}` })
    ids.push((await from.nextOf('ack')).id)
    await (from === a.client ? b.client : a.client).nextOf('message')
    if (!aside) continue
    a.client.send({ recipientId: aside.id, messageText: `aside ${i}` })
    await a.client.nextOf('ack')
  }
  return ids
}

// Alice and Bob talk; Alice also writes to Carol in between, which neither list of Bob's may show.
const sent = await toAndFro(alice, bob, 11, carol)

t.test('a conversation pages newest first, every message exactly once, both sides alike', async (t) => {
  for (const [viewer, other] of [[alice, bob], [bob, alice]] as const) {
    const pages = await walk(app, viewer.auth, `/conversations/${other.id}/messages?limit=4`)
    t.same(pages.map((page) => page.items.length), [4, 4, 3], 'every page but the last is full')
    t.same(pages.flatMap((page) => page.items.map((item) => item.id)), [...sent].reverse())
    t.equal(pages.at(-1)?.nextCursor, null)
    t.same(Object.keys(pages[0]?.items[0] ?? {}).sort(), ['clientMessageId', 'createdAt', 'id', 'messageText', 'recipientId', 'senderId'])
  }
  const exact = await walk(app, alice.auth, `/conversations/${bob.id}/messages?limit=11`)
  t.equal(exact.length, 1, 'a full last page says nothing follows')
  const none = await walk(app, bob.auth, `/conversations/${carol.id}/messages`)
  t.same(none, [{ items: [], nextCursor: null }], 'no conversation, no messages')
})

t.test('sync answers everything sent or received after a message id, oldest first', async (t) => {
  const all = await walk(app, bob.auth, '/messages/sync?limit=3')
  t.same(all.flatMap((page) => page.items.map((item) => item.id)), sent, 'only the messages Bob sent or received')
  t.same(all.map((page) => page.items.length), [3, 3, 3, 2])

  // Another pair, so the conversation the other subtests read stays as it was: Dan goes offline
  // after having seen the fourth message; Eve writes on.
  const { alice: eve, bob: dan } = await chatPair(t, { server })
  const talked = await toAndFro(eve, dan, 11)
  const lastSeen = talked[3] as number
  await dan.client.close()
  const offline: number[] = []
  for (let i = 0; i < 3; i++) {
    eve.client.send({ recipientId: dan.id, messageText: `while you were away ${i}` })
    offline.push((await eve.client.nextOf('ack')).id)
  }
  const caughtUp = await walk(app, dan.auth, `/messages/sync?after=${lastSeen}&limit=2`)
  t.same(caughtUp.flatMap((page) => page.items.map((item) => item.id)), [...talked.slice(4), ...offline], 'no gap, no repeat')
  t.same(caughtUp.at(-1)?.items.at(-1)?.messageText, 'while you were away 2')
  const nothingNew = await walk(app, dan.auth, `/messages/sync?after=${offline.at(-1)}`)
  t.same(nothingNew, [{ items: [], nextCursor: null }])
})

t.test('bad ids, limits and cursors are 400, unknown users 404', async (t) => {
  const get = (url: string) => app.inject({ url, headers: alice.auth })
  for (const id of ['abc', '0', '-1', '1e23', '9007199254740993']) {
    const response = await get(`/conversations/${id}/messages`)
    t.equal(response.statusCode, 400, `user id ${id}`)
    t.equal(response.json().code, 'FST_ERR_VALIDATION')
  }
  for (const query of ['limit=0', 'limit=101', 'limit=x', 'after=-1', 'after=abc']) {
    const response = await get(`/messages/sync?${query}`)
    t.equal(response.statusCode, 400, query)
    t.match(response.json(), { code: 'FST_ERR_VALIDATION', message: /limit|after/ })
  }
  const unknown = await get('/conversations/987654321/messages')
  t.equal(unknown.statusCode, 404)
  t.same(unknown.json(), { statusCode: 404, code: 'USER_NOT_FOUND', error: 'Not Found', message: 'user 987654321 not found' })

  const conversationCursor = (await walk(app, alice.auth, `/conversations/${bob.id}/messages?limit=2`))[0]?.nextCursor as string
  const syncCursor = (await walk(app, alice.auth, '/messages/sync?limit=2'))[0]?.nextCursor as string
  const [payload, signature] = conversationCursor.split('.') as [string, string]
  const forged = `${Buffer.from('1').toString('base64url')}.${signature}`
  const cases: Array<[string, string]> = [
    ['garbage', '/messages/sync?cursor=garbage'],
    ['forged position', `/conversations/${bob.id}/messages?cursor=${forged}`],
    ['from another conversation', `/conversations/${carol.id}/messages?cursor=${conversationCursor}`],
    ["from another user's view", `/conversations/${alice.id}/messages?cursor=${conversationCursor}`],
    ['a sync cursor in a conversation', `/conversations/${bob.id}/messages?cursor=${syncCursor}`],
    ['a conversation cursor in sync', `/messages/sync?cursor=${conversationCursor}`],
    ['unsigned', `/messages/sync?cursor=${payload}`],
  ]
  for (const [name, url] of cases) {
    const response = name === "from another user's view" ? await app.inject({ url, headers: bob.auth }) : await get(url)
    t.equal(response.statusCode, 400, name)
    t.equal(response.json().code, 'INVALID_CURSOR', name)
  }
})

t.test('history needs a bearer token', async (t) => {
  for (const url of ['/messages/sync', `/conversations/${bob.id}/messages`]) {
    const response = await app.inject({ url })
    t.equal(response.statusCode, 401, url)
    t.equal(response.json().code, 'UNAUTHORIZED')
  }
})

t.test('the OpenAPI document describes the history routes and the Message object', async (t) => {
  const document = (await app.inject({ url: '/docs/json' })).json()
  const conversation = document.paths['/conversations/{userId}/messages']?.get
  const sync = document.paths['/messages/sync']?.get
  for (const [name, operation] of [['listConversationMessages', conversation], ['syncMessages', sync]]) {
    t.equal(operation?.operationId, name)
    t.same(operation?.tags, ['chat'])
    t.same(operation?.security, [{ bearerAuth: [] }])
    t.ok(operation?.summary)
    t.hasProps(operation?.responses, ['200', '400', '401', '500', '503'], name)
  }
  t.hasProps(conversation.responses, ['404'])
  t.same(Object.keys(document.components.schemas.Message.properties).sort(),
    ['clientMessageId', 'createdAt', 'id', 'messageText', 'recipientId', 'senderId'])
  t.notOk(document.paths['/chat'], 'the WebSocket endpoints are not HTTP operations: docs/chat.md describes them')
  t.notOk(document.paths['/'])
  t.match(document.tags.find((tag: { name: string }) => tag.name === 'chat')?.description, /WebSocket at \/chat/)
})
