import { sql } from 'drizzle-orm'
import t, { type Test } from 'tap'
import type { App } from '../src/app.js'
import { backgroundCores } from '../src/cpu.js'
import { admitHashing, verifyPassword } from '../src/features/auth/passwords.js'
import { ChatClient, befriend, chatServer } from './chat-helpers.js'
import { buildTestApp, register } from './helper.js'

// The process samples its own load; a test waits for the sample that sees the load it made.
async function until(condition: () => boolean) {
  for (let turn = 0; turn < 2000 && !condition(); turn++) await new Promise((resolve) => setTimeout(resolve, 5))
  if (!condition()) throw new Error('the condition never held')
}

/** The first sample covers the app's start (schemas compiled, PGlite started), which can trip the bound by itself. */
async function settled(app: App) {
  await until(() => app.memoryUsage().heapUsed > 0)
  await until(() => !app.isUnderPressure())
}

/**
 * Setup through requests that a load of the machine's own may shed: on PGlite a statement runs
 * on the event loop, and a first one on a busy machine has held it past a second.
 */
async function unshed<Result>(app: App, step: () => Promise<Result>): Promise<Result> {
  for (let attempt = 1; ; attempt++) {
    await settled(app)
    try {
      return await step()
    } catch (error) {
      if (attempt >= 20 || !/\b503\b/.test(String(error))) throw error
    }
  }
}

async function expectShed(t: Test, app: App, auth: Record<string, string>) {
  const refused = await app.inject({ url: '/users/me', headers: auth })
  t.equal(refused.statusCode, 503, 'a request is refused at once')
  t.equal(refused.json().code, 'SERVICE_UNAVAILABLE')
  t.equal(refused.headers['retry-after'], '7', 'with Retry-After')
  t.equal((await app.inject({ url: '/health' })).statusCode, 200, '/health still answers')
  const metrics = await app.inject({ url: '/metrics' })
  t.equal(metrics.statusCode, 200, '/metrics still answers')
  return metrics.body
}

t.test('a lagging event loop sheds HTTP requests, keeps /health and the open chat sockets', async (t) => {
  // A bound far past what a loaded machine's scheduling adds, so only the loop held below trips it.
  const { app, url: base } = await chatServer(t, { env: { SHED_EVENT_LOOP_DELAY: '1s', SHED_SAMPLE: '1s', SHED_WAIT: '0', SHED_RETRY_AFTER: '7' }, network: true })
  const [alice, bob] = [await unshed(app, () => register(app)), await unshed(app, () => register(app))]
  await unshed(app, () => befriend(app, alice, bob))
  const aliceClient = await unshed(app, () => ChatClient.connect(`${base}/chat`, { token: alice.token }))
  const bobClient = await unshed(app, () => ChatClient.connect(`${base}/chat`, { token: bob.token }))
  t.teardown(() => Promise.all([aliceClient.close(), bobClient.close()]))

  // Every turn of the loop takes 2 s: the mean lag of a sample is far past 1 s.
  const blocking = setInterval(() => {
    const end = performance.now() + 2000
    while (performance.now() < end);
  }, 1)
  t.teardown(() => clearInterval(blocking))
  await until(() => app.isUnderPressure())

  const metrics = await expectShed(t, app, alice.auth)
  t.match(metrics, /^http_requests_shed_total\{cause="event_loop_delay"\} [1-9]/m, 'the shed request is counted by its cause')
  // Each of the message's steps waits for a turn of the held loop: no time bound but the test's.
  aliceClient.send({ recipientId: bob.id, messageText: 'still here', clientMessageId: 'under-load' })
  t.match(await aliceClient.nextOf('ack', 120_000), { clientMessageId: 'under-load' }, 'an open socket is still served')
  t.match(await bobClient.nextOf('message', 120_000), { messageText: 'still here' })

  clearInterval(blocking)
  await until(() => !app.isUnderPressure())
  t.equal((await app.inject({ url: '/users/me', headers: alice.auth })).statusCode, 200, 'answered again once the loop keeps up')
  await Promise.all([aliceClient.close(), bobClient.close()])
  await app.close()
  t.pass('the app closes: no connection is left open')
})

t.test('a statement waiting too long for a database connection sheds HTTP requests', async (t) => {
  const app = await buildTestApp(t, { SHED_EVENT_LOOP_DELAY: '0', SHED_SAMPLE: '20ms', SHED_WAIT: '50ms', SHED_RETRY_AFTER: '7' })
  const alice = await unshed(app, () => register(app))
  const { db, pool } = app.database
  let release = () => {}
  const gate = new Promise<void>((resolve) => {
    release = resolve
  })
  // Every connection held by a transaction, and one statement more waiting for them.
  const holders = Array.from({ length: pool.size }, () => db.transaction(async (tx) => {
    await tx.execute(sql`select 1`)
    await gate
  }))
  // then(): drizzle's statements start when awaited.
  const waiting = db.execute(sql`select 1`).then(() => {})
  t.teardown(release)
  await until(() => pool.waiting() === 1 && app.isUnderPressure())
  t.equal(pool.inUse(), pool.size, 'every connection is in use')

  const metrics = await expectShed(t, app, alice.auth)
  t.match(metrics, /^db_pool_waiting 1$/m, 'the waiting statement is reported')
  t.match(metrics, /^http_requests_shed_total\{cause="database_wait"\} [1-9]/m)

  release()
  await Promise.all([...holders, waiting])
  t.equal(pool.waiting(), 0)
  await until(() => !app.isUnderPressure())
  t.equal((await app.inject({ url: '/users/me', headers: alice.auth })).statusCode, 200, 'answered again once the pool has room')
})

t.test('a login whose hash would wait past the bound is refused at once, before its attempt is counted', async (t) => {
  const app = await buildTestApp(t, { SHED_WAIT: '1ms', SHED_EVENT_LOOP_DELAY: '0', RATE_LIMIT_LOGIN: '1/15m' })
  const alice = await unshed(app, () => register(app))
  // Three hashes for each background core, queued in this turn of the loop.
  const queued = Array.from({ length: backgroundCores * 3 }, () => verifyPassword(undefined, 'queued', 0))
  t.throws(() => admitHashing(1), { code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: 1 })
  t.doesNotThrow(() => admitHashing(0), 'a bound of 0 refuses nothing')
  t.doesNotThrow(() => admitHashing(3_600_000), 'nor does a long one')
  const refused = await app.inject({ method: 'POST', url: '/auth/login', payload: { username: alice.username, password: 'wrong password' } })
  t.equal(refused.statusCode, 503)
  t.equal(refused.json().code, 'SERVICE_UNAVAILABLE')
  t.equal(refused.headers['retry-after'], '1')
  await Promise.all(queued)
  const wrong = await app.inject({ method: 'POST', url: '/auth/login', payload: { username: alice.username, password: 'wrong password' } })
  t.equal(wrong.statusCode, 401, 'the one failed attempt allowed is still there: the refused login was not counted')
})
