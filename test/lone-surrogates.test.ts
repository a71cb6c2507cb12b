import t from 'tap'
import { befriend, chatServer } from './chat-helpers.js'
import { register } from './helper.js'

/**
 * JSON can spell an unpaired UTF-16 surrogate ("\ud800"), which no UTF-8 text can hold:
 * PostgreSQL refuses it (22P02) and argon2 hashes it as U+FFFD. Such text is refused where it
 * enters, as a client error, and nothing else is disturbed.
 */
const server = await chatServer(t)
const { app } = server
const [alice, bob] = [await register(app), await register(app)]
await befriend(app, alice, bob)

const lone = ['\ud800', '\udfff', 'a\ud83dz', '\ude00\ud83d']

t.test('chat: a lone surrogate in messageText or clientMessageId is INVALID_MESSAGE and the socket stays open', async (t) => {
  const client = await server.connect(t, alice)
  for (const text of lone) {
    client.send({ recipientId: bob.id, messageText: `hi ${text}`, clientMessageId: 'lone-1' })
    t.match(await client.nextOf('error'), { code: 'INVALID_MESSAGE', message: /messageText.*surrogate/, clientMessageId: 'lone-1' }, `messageText ${JSON.stringify(text)}`)
    client.send({ recipientId: bob.id, messageText: 'hi', clientMessageId: `id-${text}` })
    const refused = await client.nextOf('error')
    t.match(refused, { code: 'INVALID_MESSAGE', message: /clientMessageId.*surrogate/ }, `clientMessageId ${JSON.stringify(text)}`)
    t.notOk('clientMessageId' in refused, 'an id that cannot be stored is not echoed')
  }
  // Sent as raw JSON text too, as a client that escapes by hand would.
  client.send('{"recipientId":' + bob.id + ',"messageText":"\\ud800"}')
  t.match(await client.nextOf('error'), { code: 'INVALID_MESSAGE' }, 'the escape written in the JSON text')

  client.send({ recipientId: bob.id, messageText: 'paired 😀 is fine', clientMessageId: 'lone-ok' })
  t.match(await client.nextOf('ack'), { messageText: 'paired 😀 is fine', clientMessageId: 'lone-ok' }, 'the same socket still chats')
  t.equal(client.socket.readyState, client.socket.OPEN, 'the socket was never closed')
})

t.test('HTTP bodies: a lone surrogate in any string field is a 400 naming the field', async (t) => {
  const cases: Array<[string, string, Record<string, unknown>, Record<string, string>?]> = [
    ['register password', '/auth/register', { username: 'surrogate_1', password: 'password\ud800' }],
    ['login password', '/auth/login', { username: alice.username, password: 'password\udfff' }],
    ['register username', '/auth/register', { username: 'ab\ud800', password: 'password123' }],
    ['seed follow userId', '/users/follow', { userId: '\ud800' }, alice.auth],
  ]
  for (const [name, url, payload, headers] of cases) {
    const field = Object.keys(payload).find((key) => /[\ud800-\udfff]/u.test(String(payload[key])))
    const response = await app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json', ...headers }, payload: JSON.stringify(payload) })
    t.equal(response.statusCode, 400, `${name}: 400`)
    t.match(response.json(), { code: 'FST_ERR_VALIDATION', message: new RegExp(`${field}`) }, `${name}: names ${field}`)
  }
  const paired = await app.inject({ method: 'POST', url: '/auth/register', payload: { username: 'surrogate_2', password: 'password 😀 ok' } })
  t.equal(paired.statusCode, 201, 'a password with a paired surrogate (an emoji) is fine')
})

t.test('query strings and path parameters cannot carry a lone surrogate: its UTF-8 bytes stay undecoded', async (t) => {
  const search = await app.inject({ method: 'GET', url: '/users?search=%ED%A0%80', headers: alice.auth })
  t.equal(search.statusCode, 400, 'search')
  const cursor = await app.inject({ method: 'GET', url: '/users?cursor=%ED%A0%80', headers: alice.auth })
  t.match(cursor.json(), { statusCode: 400, code: 'INVALID_CURSOR' }, 'cursor')
  const id = await app.inject({ method: 'GET', url: '/users/%ED%A0%80', headers: alice.auth })
  t.equal(id.statusCode, 400, 'path parameter')
})
