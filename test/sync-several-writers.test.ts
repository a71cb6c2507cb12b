import t, { type Test } from 'tap'
import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { ChatClient } from './chat-helpers.js'
import { childProcessEnv, createTestDatabase, freePort, TEST_SECRET } from './helper.js'
import { kill, pause, redisMissing, startRedis, until } from './redis-helpers.js'

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

async function startServer(t: Test, env: Record<string, string>) {
  const port = await freePort()
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: childProcessEnv({
      NODE_ENV: 'test', LOG_LEVEL: 'warn', HOST: '127.0.0.1', PORT: String(port), JWT_SECRET: TEST_SECRET,
      RATE_LIMIT_LOGIN: '0', RATE_LIMIT_REGISTER: '0', CHAT_RATE_LIMIT: '0', ...env,
    }),
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  t.teardown(() => kill(child))
  const base = `http://127.0.0.1:${port}`
  await until(`the server on ${port} is ready`, async () => (await fetch(`${base}/ready`)).ok, 60_000)
  return { base, ws: `ws://127.0.0.1:${port}/chat` }
}
type Server = Awaited<ReturnType<typeof startServer>>

async function call<T>(server: Server, method: string, path: string, token?: string, body?: unknown): Promise<T> {
  const response = await fetch(`${server.base}${path}`, {
    method,
    headers: { ...(body !== undefined && { 'content-type': 'application/json' }), ...(token && { authorization: `Bearer ${token}` }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`)
  return await response.json() as T
}

let counter = 0
async function registerOn(server: Server) {
  const username = `writers_${process.pid % 10000}_${++counter}`
  const { user, token } = await call<{ user: { id: number }, token: string }>(server, 'POST', '/auth/register', undefined, { username, password: 'password123' })
  return { id: user.id, token }
}
type User = Awaited<ReturnType<typeof registerOn>>

/** Sends PER_SENDER messages with WINDOW of them unacknowledged at a time; answers the acknowledged ids. */
async function sendAll(server: Server, sender: User, reader: User): Promise<number[]> {
  const client = await ChatClient.connect(server.ws, { token: sender.token })
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
      const page = await call<{ items: Array<{ id: number }> }>(server, 'GET', `/messages/sync?after=${newest}&limit=100`, reader.token)
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
  const a = await startServer(t, env)
  const b = await startServer(t, env)
  const servers = [a, b]

  const reader = await registerOn(a)
  const senders = await Promise.all(Array.from({ length: SENDERS }, (_, i) => registerOn(servers[i % 2] as Server)))
  for (const sender of senders) {
    await call(a, 'PUT', `/users/${reader.id}/follow`, sender.token)
    await call(b, 'PUT', `/users/${sender.id}/follow`, reader.token)
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
