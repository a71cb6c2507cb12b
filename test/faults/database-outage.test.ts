import t from 'tap'
import postgres from 'postgres'
import { befriend, listen } from '../chat-helpers.js'
import { buildTestApp, createTestDatabase, register } from '../helper.js'
import { startChatLoad } from './chat-load.js'
import { createTcpProxy } from './tcp-proxy.js'

/**
 * PostgreSQL taken away (through a proxy of ours; the machine's server is never stopped) in
 * the middle of HTTP and chat load: the service answers 503 quickly instead of hanging, comes
 * back by itself once the database does, and every message it acknowledged is stored.
 */
const serverUrl = process.env.DATABASE_URL
if (!serverUrl) {
  t.plan(0, 'needs a PostgreSQL server (DATABASE_URL): PGlite runs inside the process, so there is no connection to cut')
} else {
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
  const databaseUrl = await createTestDatabase(t)
  const target = new URL(databaseUrl)
  const proxy = await createTcpProxy({ host: target.hostname, port: Number(target.port || 5432) })
  t.teardown(() => proxy.close())
  const app = await buildTestApp(t, { DATABASE_URL: proxy.redirect(databaseUrl), CHAT_RATE_LIMIT: '0' })
  const base = await listen(app)
  const [alice, bob] = [await register(app), await register(app)]
  await befriend(app, alice, bob)

  /** Requests a client of the API would make, each timed; the answers are tallied by status. */
  function startHttpLoad() {
    const statuses = new Map<number, number>()
    const offShape: string[] = []
    let slowest = 0
    let running = true
    const requests = [
      () => app.inject({ url: '/users/me', headers: alice.auth }),
      () => app.inject({ url: `/users/${bob.id}/followers`, headers: alice.auth }),
      () => app.inject({ method: 'PUT', url: `/users/${bob.id}/follow`, headers: alice.auth }),
      () => app.inject({ url: '/messages/sync?limit=5', headers: bob.auth }),
      () => app.inject({ url: '/ready' }),
    ]
    const worker = async (offset: number) => {
      for (let i = offset; running; i++) {
        const started = Date.now()
        const response = await requests[i % requests.length]!()
        slowest = Math.max(slowest, Date.now() - started)
        statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1)
        if (response.statusCode >= 500 && response.statusCode !== 503) throw new Error(`${response.statusCode} ${response.body}`)
        if (response.statusCode === 503) {
          const body = response.json() as Record<string, unknown>
          if (Object.keys(body).sort().join() !== 'code,error,message,statusCode' || body.code !== 'SERVICE_UNAVAILABLE') offShape.push(response.body)
        }
        await sleep(5)
      }
    }
    const workers = Promise.all([0, 1, 2, 3].map(worker))
    return {
      statuses,
      offShape,
      get slowest() {
        return slowest
      },
      async stop() {
        running = false
        await workers
      },
    }
  }

  async function readyWithin(ms: number) {
    const started = Date.now()
    while (Date.now() - started < ms) {
      if ((await app.inject({ url: '/ready' })).statusCode === 200) return Date.now() - started
      await sleep(50)
    }
    return Number.POSITIVE_INFINITY
  }

  t.test('two outages under HTTP and chat load: 503 while down, recovery within seconds, no acked message lost', async (t) => {
    const chat = [
      startChatLoad({ url: `${base}/chat`, token: alice.token, recipientId: bob.id, prefix: 'a' }),
      startChatLoad({ url: `${base}/chat`, token: bob.token, recipientId: alice.id, prefix: 'b' }),
    ]
    const http = startHttpLoad()
    t.teardown(async () => {
      await proxy.restore()
      await http.stop().catch(() => {})
      await Promise.all(chat.map((load) => load.abandon()))
    })
    const recoveries: number[] = []
    for (let outage = 0; outage < 2; outage++) {
      await sleep(1000)
      await proxy.cut()
      await sleep(300)
      const started = Date.now()
      const ready = await app.inject({ url: '/ready' })
      t.equal(ready.statusCode, 503, '/ready says the database is gone')
      const me = await app.inject({ url: '/users/me', headers: alice.auth })
      t.equal(me.statusCode, 503, 'a request that needs the database is a 503')
      t.equal(me.json().code, 'SERVICE_UNAVAILABLE')
      t.ok(Date.now() - started < 5000, `answered in ${Date.now() - started} ms, not hung`)
      await sleep(1500)
      await proxy.restore()
      recoveries.push(await readyWithin(10_000))
    }
    await sleep(1000)
    await http.stop()
    await Promise.all(chat.map((load) => load.finish()))

    t.ok(recoveries.every((ms) => ms < 10_000), `ready again ${recoveries.join(' and ')} ms after the database came back`)
    t.ok((http.statuses.get(503) ?? 0) > 0, `HTTP answers by status: ${JSON.stringify(Object.fromEntries(http.statuses))}`)
    t.same(http.offShape, [], 'every 503 is SERVICE_UNAVAILABLE in the error shape')
    t.ok(http.slowest < 8000, `the slowest request took ${http.slowest} ms (bounded by connect_timeout, 5 s)`)
    t.equal((await app.inject({ url: '/users/me', headers: alice.auth })).statusCode, 200, 'serving again')

    const acked = chat.flatMap((load) => [...load.acks.values()])
    t.same(chat.map((load) => load.unacked.size), [0, 0], 'every message sent was acked in the end (resent after reconnects)')
    t.same(chat.flatMap((load) => load.refusals), [], 'no message refused')
    t.ok(chat.some((load) => load.closes.includes(1011)), `sockets were closed with 1011 during the outages: ${chat.map((load) => load.closes.join(',')).join(' / ')}`)
    const direct = postgres(databaseUrl, { max: 1, onnotice: () => {} })
    const rows = await direct<Array<{ id: number, clientMessageId: string, messageText: string }>>`
      select id::int as id, client_message_id as "clientMessageId", message_text as "messageText" from messages`
    await direct.end()
    const stored = new Map(rows.map((row) => [row.clientMessageId, row]))
    const missing = acked.filter((ack) => {
      const row = stored.get(ack.clientMessageId)
      return !row || row.id !== ack.id || row.messageText !== ack.messageText
    })
    t.same(missing, [], `all ${acked.length} acked messages are stored as acked`)
    t.equal(rows.length, acked.length, 'and nothing else was stored, nothing twice')
  })
}
