import { join } from 'node:path'
import t from 'tap'
import { count } from 'drizzle-orm'
import postgres from 'postgres'
import { openDatabase } from '../src/db/client.js'
import { messages } from '../src/db/schema.js'
import { ChatClient, befriend, chatServer, type Frame } from './chat-helpers.js'
import { createTestDatabase, register, tempDir } from './helper.js'

/** A database that outlives the app, so what it stored can be counted after the close. */
async function durableDatabase(t: { teardown(fn: () => unknown): void }): Promise<{ env: Record<string, string>, countMessages(): Promise<number> }> {
  if (process.env.DATABASE_URL) {
    const url = await createTestDatabase(t)
    return {
      env: { DATABASE_URL: url },
      async countMessages() {
        const client = postgres(url, { max: 1 })
        const [row] = await client`select count(*)::int as count from messages`
        await client.end()
        return row?.count as number
      },
    }
  }
  const dataDir = tempDir(t)
  return {
    // No DATABASE_URL: PGlite in files under DATA_DIR.
    env: { DATABASE_URL: '', DATA_DIR: dataDir },
    async countMessages() {
      const database = await openDatabase({ pgliteDir: join(dataDir, 'pglite') })
      const [row] = await database.db.select({ count: count() }).from(messages)
      await database.close()
      return row?.count as number
    },
  }
}

t.test('on close, messages already received are stored, acked and delivered, then sockets close with 1001', async (t) => {
  const database = await durableDatabase(t)
  const { app, url: base } = await chatServer(t, { env: database.env, network: true })
  const [alice, bob] = [await register(app), await register(app)]
  await befriend(app, alice, bob)
  const aliceClient = await ChatClient.connect(`${base}/chat`, { token: alice.token })
  const bobClient = await ChatClient.connect(`${base}/`, { token: bob.token })

  const received: Frame[] = []
  // The first ack, not the first frame: Bob coming online is a presence frame to Alice.
  const firstArrived = new Promise<void>((resolve) => {
    const onFrame = (data: unknown) => {
      if ((JSON.parse(String(data)) as { type: string }).type !== 'ack') return
      aliceClient.socket.off('message', onFrame)
      resolve()
    }
    aliceClient.socket.on('message', onFrame)
  })
  for (let i = 0; i < 50; i++) aliceClient.send({ recipientId: bob.id, messageText: `m${i}`, clientMessageId: `s-${i}` })
  // Once one ack is back the server is reading; some of the rest may still be on the wire.
  await firstArrived
  await app.close()
  const [aliceClosed, bobClosed] = await Promise.all([aliceClient.closed, bobClient.closed])
  t.same(aliceClosed, { code: 1001, reason: 'server shutting down' })
  t.same(bobClosed, { code: 1001, reason: 'server shutting down' })

  for (let frame = aliceClient.frames.shift(); frame; frame = aliceClient.frames.shift()) received.push(frame)
  const acks = received.filter((frame) => frame.type === 'ack')
  t.equal(acks.length, received.length, 'only acks, no errors')
  t.ok(acks.length >= 1)
  t.same(acks.map((ack) => ack.clientMessageId), acks.map((_, i) => `s-${i}`), 'acked in order, with no gap')
  t.equal(bobClient.frames.length, acks.length, 'every acked message was delivered before the close')
  t.equal(await database.countMessages(), acks.length, 'every acked message is stored, and nothing unacked')
})

t.test('an upgrade after the close began is refused', async (t) => {
  const { app, url: base } = await chatServer(t, { network: true })
  const user = await register(app)
  const client = await ChatClient.connect(`${base}/chat`, { token: user.token })
  const closing = app.close()
  await t.rejects(ChatClient.connect(`${base}/chat`, { token: user.token }))
  await closing
  t.equal((await client.closed).code, 1001)
})
