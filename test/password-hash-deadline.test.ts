import { hash } from '@node-rs/argon2'
import t from 'tap'
import { backgroundCores } from '../src/cpu.js'
import { createHashQueue } from '../src/features/auth/hash-queue.js'
import { hashingLoad } from '../src/features/auth/passwords.js'
import { buildTestApp, register } from './helper.js'
import { until } from './redis-helpers.js'

// Forty argon2id hashes for each core that may run one: far more than start within the bounds below.
const storm = backgroundCores * 40
const argon2id = { memoryCost: 19_456, timeCost: 2, parallelism: 1 }

t.test('a hash not started within its bound is refused and never started; the others start within it', async (t) => {
  const boundMs = 100
  const queue = createHashQueue(backgroundCores, 50)
  const waits: Array<number | undefined> = []
  const outcomes = await Promise.allSettled(Array.from({ length: storm }, (_, i) => {
    const queuedAt = performance.now()
    return queue.run(() => {
      waits[i] = performance.now() - queuedAt
      return hash(`password ${i}`, argon2id)
    }, boundMs)
  }))
  t.same({ active: queue.active, waiting: queue.waiting }, { active: 0, waiting: 0 }, 'once every job is settled, nothing runs or waits')

  const hashed = outcomes.flatMap((outcome, i) => (outcome.status === 'fulfilled' ? [i] : []))
  const refused = outcomes.flatMap((outcome, i) => (outcome.status === 'rejected' ? [i] : []))
  t.same(hashed.slice(0, backgroundCores), Array.from({ length: backgroundCores }, (_, i) => i), 'the jobs that found a free slot were hashed')
  t.ok(refused.length > 0, `the excess was refused (${hashed.length} hashed, ${refused.length} refused)`)
  for (const i of refused) {
    t.match((outcomes[i] as PromiseRejectedResult).reason, { code: 'SERVICE_UNAVAILABLE', statusCode: 503, retryAfterSeconds: Number }, `job ${i}: 503 with Retry-After`)
  }
  t.same(refused.filter((i) => waits[i] !== undefined), [], 'no refused job was ever started')
  t.same(hashed.filter((i) => waits[i] === undefined), [], 'every hashed job was started once')
  // The queue checks the deadline when a slot frees; the margin is only the few statements between
  // the test's clock readings and the queue's.
  const longest = Math.max(...hashed.map((i) => waits[i]!))
  t.ok(longest <= boundMs + 50, `no hash started past the bound (longest wait ${longest.toFixed(1)} ms, bound ${boundMs} ms)`)
})

t.test('without a bound, every job waits its turn', async (t) => {
  const queue = createHashQueue(backgroundCores, 50)
  const hashes = await Promise.all(Array.from({ length: backgroundCores * 3 }, (_, i) => queue.run(() => hash(`password ${i}`, argon2id), 0)))
  t.equal(hashes.length, backgroundCores * 3)
})

t.test('a login storm: checked within SHED_WAIT or refused 503 with Retry-After, and a refused login is no failed attempt', async (t) => {
  const app = await buildTestApp(t, { SHED_WAIT: '100ms', SHED_EVENT_LOOP_DELAY: '0', RATE_LIMIT_LOGIN: '1/15m' })
  const alice = await register(app)
  // One failed attempt allowed per (username, address): each login of the storm from its own address.
  const addresses = Array.from({ length: storm }, (_, i) => `10.0.${i >> 8}.${i & 255}`)
  const wrongLogin = (remoteAddress: string) => app.inject({
    method: 'POST', url: '/auth/login', remoteAddress, payload: { username: alice.username, password: 'wrong password' },
  })

  const answers = await Promise.all(addresses.map(wrongLogin))
  t.same(hashingLoad(), { active: 0, waiting: 0 }, 'once every login is answered, no hash runs or waits for one')
  const checked = answers.flatMap((answer, i) => (answer.statusCode === 401 ? [i] : []))
  const shed = answers.flatMap((answer, i) => (answer.statusCode === 503 ? [i] : []))
  t.equal(checked.length + shed.length, storm, 'every login was checked (401) or shed (503)')
  t.ok(checked.length >= backgroundCores, `some were checked (${checked.length})`)
  t.ok(shed.length > 0, `the excess was shed (${shed.length})`)
  for (const i of shed) {
    t.equal(answers[i]!.json().code, 'SERVICE_UNAVAILABLE')
    t.match(answers[i]!.headers['retry-after'], /^[1-9][0-9]*$/, 'with Retry-After')
  }

  // On a loaded machine the storm also made statements wait for a database connection past
  // SHED_WAIT, and the overload plugin then sheds every request until its next check finds the
  // pool idle: the checks below are about the password limit, so they wait for that first.
  await until('the overload plugin stops shedding', async () => (await app.inject({ method: 'GET', url: `/users/${alice.id}`, headers: alice.auth })).statusCode !== 503, 5_000)

  const again = await wrongLogin(addresses[checked[0]!]!)
  t.equal(again.statusCode, 429, `a checked wrong password used the address's one attempt (${again.json().code})`)
  const retried = await wrongLogin(addresses[shed[0]!]!)
  t.equal(retried.statusCode, 401, `a shed one did not: its attempt is still there (${retried.json().code})`)
  const right = await app.inject({ method: 'POST', url: '/auth/login', remoteAddress: '10.9.9.9', payload: { username: alice.username, password: alice.password } })
  t.equal(right.statusCode, 200, `and the right password logs in once the storm has passed (${right.json().code ?? 'logged in'})`)
})
