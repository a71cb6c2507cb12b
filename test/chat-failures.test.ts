import t from 'tap'
import { eq, sql } from 'drizzle-orm'
import { messages, users } from '../src/db/schema.js'
import { befriend, chatPair, chatServer } from './chat-helpers.js'
import { register } from './helper.js'

// Sockets through injectWS: a close code is a frame of the protocol, the same without a port.
const server = await chatServer(t)
const { app } = server

t.test('a recipient deleted behind the cache is USER_NOT_FOUND, and the rest of the batch is stored', async (t) => {
  const { alice, bob } = await chatPair(t, { server })
  const carol = await register(app)
  await befriend(app, alice, carol)
  const client = alice.client
  client.send({ recipientId: bob.id, messageText: 'warm the cache' })
  await client.nextOf('ack')

  // Deleted without a follow event, so the chat still believes they are mutual followers.
  await app.database.db.delete(users).where(eq(users.id, bob.id))
  client.send({ recipientId: carol.id, messageText: 'before', clientMessageId: 'f-1' })
  client.send({ recipientId: bob.id, messageText: 'to nobody', clientMessageId: 'f-2' })
  client.send({ recipientId: carol.id, messageText: 'after', clientMessageId: 'f-3' })
  const answers = [await client.next(), await client.next(), await client.next()]
  const byId = Object.fromEntries(answers.map((frame) => ['clientMessageId' in frame ? frame.clientMessageId : undefined, frame]))
  t.match(byId['f-1'], { type: 'ack', messageText: 'before' })
  t.same(byId['f-2'], { type: 'error', code: 'USER_NOT_FOUND', message: `user ${bob.id} not found`, clientMessageId: 'f-2' })
  t.match(byId['f-3'], { type: 'ack', messageText: 'after' })
  const rows = await app.database.db.select().from(messages).where(eq(messages.recipientId, carol.id))
  t.same(rows.map((row) => row.messageText), ['before', 'after'])
})

t.test('when the database fails a message, the socket closes with 1011 and nothing is acked', async (t) => {
  const { alice, bob } = await chatPair(t, { server })
  await app.database.db.execute(sql.raw(`create function refuse_exploding_messages() returns trigger language plpgsql as $$
    begin
      if new.message_text = 'explode' then raise exception 'simulated database failure'; end if;
      return new;
    end $$`))
  await app.database.db.execute(sql.raw(`create trigger refuse_exploding_messages before insert on messages
    for each row execute function refuse_exploding_messages()`))
  t.teardown(async () => {
    await app.database.db.execute(sql.raw('drop trigger refuse_exploding_messages on messages'))
    await app.database.db.execute(sql.raw('drop function refuse_exploding_messages'))
  })

  const client = alice.client
  client.send({ recipientId: bob.id, messageText: 'explode', clientMessageId: 'x-1' })
  t.same(await client.closed, { code: 1011, reason: 'message could not be stored; reconnect and resend' })
  t.equal(client.frames.length, 0, 'no ack')

  const again = await server.connect(t, alice)
  again.send({ recipientId: bob.id, messageText: 'fine', clientMessageId: 'x-2' })
  t.match(await again.nextOf('ack'), { messageText: 'fine' }, 'the next connection works')
})
