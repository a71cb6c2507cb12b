import t from 'tap'
import { eq } from 'drizzle-orm'
import { messages } from '../src/db/schema.js'
import { chatPair, chatServer } from './chat-helpers.js'

// Sockets through injectWS: the server's frame size bound and close codes are the same without a port.
const server = await chatServer(t)
const { app } = server

t.test('malformed frames get an error frame and the socket keeps working', async (t) => {
  const { alice, bob } = await chatPair(t, { server })
  const client = alice.client
  const ok = { recipientId: bob.id, messageText: 'hi' }
  const cases: Array<[string, unknown, string, RegExp, string?]> = [
    ['not JSON', '{"recipientId": 1,', 'INVALID_MESSAGE', /not valid JSON/],
    ['a JSON string', '"hello"', 'INVALID_MESSAGE', /JSON object/],
    ['a JSON number', '42', 'INVALID_MESSAGE', /JSON object/],
    ['null', 'null', 'INVALID_MESSAGE', /JSON object/],
    ['an array', JSON.stringify([ok]), 'INVALID_MESSAGE', /JSON object/],
    ['no recipientId', { messageText: 'hi', clientMessageId: 'e-1' }, 'INVALID_MESSAGE', /recipientId/, 'e-1'],
    ['recipientId a string that is no decimal id', { ...ok, recipientId: ` ${bob.id}`, clientMessageId: 'e-2' }, 'INVALID_MESSAGE', /recipientId/, 'e-2'],
    ['recipientId 0', { ...ok, recipientId: 0 }, 'INVALID_MESSAGE', /recipientId/],
    ['recipientId fractional', { ...ok, recipientId: 1.5 }, 'INVALID_MESSAGE', /recipientId/],
    ['recipientId beyond 2^53', { ...ok, recipientId: 2 ** 54 }, 'INVALID_MESSAGE', /recipientId/],
    ['no messageText', { recipientId: bob.id }, 'INVALID_MESSAGE', /messageText/],
    ['messageText a number', { ...ok, messageText: 7 }, 'INVALID_MESSAGE', /messageText/],
    ['empty messageText', { ...ok, messageText: '', clientMessageId: 'e-3' }, 'INVALID_MESSAGE', /messageText/, 'e-3'],
    ['NUL in messageText', { ...ok, messageText: 'a\u0000b', clientMessageId: 'e-4' }, 'INVALID_MESSAGE', /NUL/, 'e-4'],
    ['a type no client sends', { ...ok, type: 'shout' }, 'INVALID_MESSAGE', /type/],
    ['clientMessageId a number', { ...ok, clientMessageId: 12 }, 'INVALID_MESSAGE', /clientMessageId/],
    ['clientMessageId too long', { ...ok, clientMessageId: 'x'.repeat(129) }, 'INVALID_MESSAGE', /clientMessageId/],
    ['senderId of someone else', { ...ok, senderId: bob.id, clientMessageId: 'e-5' }, 'SENDER_MISMATCH', /senderId/, 'e-5'],
    ['4,001 characters', { ...ok, messageText: 'a'.repeat(4001), clientMessageId: 'e-6' }, 'MESSAGE_TOO_LONG', /4000/, 'e-6'],
    ['4,001 emoji', { ...ok, messageText: '😀'.repeat(4001) }, 'MESSAGE_TOO_LONG', /4000/],
  ]
  for (const [name, frame, code, message, clientMessageId] of cases) {
    client.send(frame)
    const refused = await client.nextOf('error')
    t.equal(refused.code, code, name)
    t.match(refused.message, message, name)
    t.equal(refused.clientMessageId, clientMessageId, `${name}: clientMessageId echoed when given`)
  }
  client.socket.send(Buffer.from(JSON.stringify(ok)), { binary: true })
  t.match(await client.nextOf('error'), { code: 'INVALID_MESSAGE', message: /binary/ }, 'binary frame')

  client.send({ ...ok, messageText: '😀'.repeat(4000), senderId: alice.id, type: 'message', extra: 'ignored' })
  t.match(await client.nextOf('ack'), { messageText: '😀'.repeat(4000) }, '4,000 characters, counted as code points, pass')
  const rows = await app.database.db.select().from(messages).where(eq(messages.senderId, alice.id))
  t.equal(rows.length, 1, 'nothing refused was stored')
})

t.test('a frame over 64 KiB closes the socket with 1009', async (t) => {
  const { alice, bob } = await chatPair(t, { server })
  const client = alice.client
  client.send({ recipientId: bob.id, messageText: 'x'.repeat(64 * 1024) })
  const { code } = await client.closed
  t.equal(code, 1009)

  const next = await server.connect(t, alice)
  next.send({ recipientId: bob.id, messageText: 'still serving' })
  t.match(await next.nextOf('ack'), { messageText: 'still serving' }, 'the server carries on')
})
