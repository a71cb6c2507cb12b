import t from 'tap'
import { randomUUID } from 'node:crypto'
import { ChatClient } from './chat-helpers.js'
import { createTestDatabase, freePort } from './helper.js'
import { pause, redisMissing, startRedis } from './redis-helpers.js'
import { call, followOn, registerOn, startServer, type RemoteUser as User, type ServerProcess as Server } from './server-process.js'

// Two real server processes writing into one PostgreSQL database at once: ids are taken before
// commit, so without a commit-ordered sync a higher id can be visible before a lower one.
const skip = !process.env.DATABASE_URL
  ? 'DATABASE_URL is unset: several processes need a PostgreSQL server (PGlite belongs to one process)'
  : redisMissing ? 'redis-server is not installed' : false

const SENDERS = 16
const PER_SENDER = 500
/** Messages a sender has on the wire before it waits for their acks. */
const WINDOW = 8
/** Clients syncing at once, each on its own (more chances to catch an id made visible out of order). */
const READERS = 4

/** Sends PER_SENDER messages with WINDOW of them unacknowledged at a time; answers the acknowledged ids. */
async function sendAll(server: Server, sender: User, reader: User): Promise<number[]> {
  const client = await ChatClient.connect(server.chat, { token: sender.token })
  const acked: number[] = []
  try {
    for (let sent = 0; sent < PER_SENDER; sent += WINDOW) {
      const burst = Math.min(WINDOW, PER_SENDER - sent)
      for (let i = 0; i < burst; i++) {
        client.send({ type: 'message', recipientId: reader.id, messageText: `m${sent + i}`, clientMessageId: randomUUID() })
      }
      for (let i = 0; i < burst; i++) acked.push((await client.nextOf('ack', 60_000)).id)
      // Senders out of step with each other, so the two processes' batches overlap in every way.
      await pause(Math.random() * 200)
    }
  } finally {
    client.socket.terminate()
  }
  return acked
}

/** A client following the contract: it syncs with after= the newest id it has seen, from either process. */
function syncingClient(servers: Server[], reader: User, offset: number) {
  const seen = new Map<number, number>()
  let newest = 0
  const client = {
    seen,
    syncs: 0,
    /** Syncs that came back with less than a page: the client was at the newest message. */
    atHead: 0,
    elapsed: 0,
    async syncOnce() {
      const started = performance.now()
      const server = servers[(client.syncs++ + offset) % servers.length] as Server
      const { status, body: page } = await call<{ items: Array<{ id: number }> }>(server, 'GET', `/messages/sync?after=${newest}&limit=100`, reader.token)
      if (status !== 200) throw new Error(`sync: ${status}`)
      for (const { id } of page.items) {
        seen.set(id, (seen.get(id) ?? 0) + 1)
        newest = Math.max(newest, id)
      }
      if (page.items.length < 100) client.atHead++
      client.elapsed += performance.now() - started
      return page.items.length
    },
  }
  return client
}

t.test('a client syncing with after= the newest id it has seen misses nothing while two processes write', { skip }, async (t) => {
  const databaseUrl = await createTestDatabase(t)
  const redisPort = await freePort()
  await startRedis(t, redisPort)
  const env = { DATABASE_URL: databaseUrl, REDIS_URL: `redis://127.0.0.1:${redisPort}` }
  const a = await startServer(t, { ...env, LOG_LEVEL: 'warn' })
  const b = await startServer(t, { ...env, LOG_LEVEL: 'warn' })
  const servers = [a, b]

  const reader = await registerOn(a, 'writers')
  const senders = await Promise.all(Array.from({ length: SENDERS }, (_, i) => registerOn(servers[i % 2] as Server, 'writers')))
  for (const sender of senders) {
    await followOn(a, sender, reader)
    await followOn(b, reader, sender)
  }

  const readers = Array.from({ length: READERS }, (_, i) => syncingClient(servers, reader, i))
  let sending = true
  const syncing = readers.map(async (client) => {
    while (sending) await client.syncOnce()
  })
  const acked = (await Promise.all(senders.map((sender, i) => sendAll(servers[i % 2] as Server, sender, reader)))).flat()
  sending = false
  await Promise.all(syncing)
  t.equal(acked.length, SENDERS * PER_SENDER, `${acked.length} messages acknowledged`)
  t.equal(new Set(acked).size, acked.length, 'each under its own id')

  for (const [i, client] of readers.entries()) {
    // Everything is committed now: sync on until a page comes back empty.
    while (await client.syncOnce() > 0);
    const missed = acked.filter((id) => !client.seen.has(id))
    const duplicated = [...client.seen].filter(([, times]) => times > 1).map(([id]) => id)
    t.same({ missed: missed.length, duplicated: duplicated.length }, { missed: 0, duplicated: 0 },
      `client ${i}: ${client.syncs} syncs (${client.atHead} reached the newest message, ${Math.round(client.elapsed / client.syncs)} ms each) saw every acknowledged message once` +
      (missed.length > 0 ? ` (missed ${missed.slice(0, 10).join(', ')})` : ''))
    t.equal(client.seen.size, acked.length, 'and nothing else')
  }
})
