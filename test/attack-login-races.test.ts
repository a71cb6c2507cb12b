import { randomBytes } from 'node:crypto'
import t, { type Test } from 'tap'
import { buildTestApp, register } from './helper.js'
import { redisMissing, startRedisCluster } from './redis-helpers.js'

// Password guesses sent all at once, over real sockets: the limit was read before hashing and
// counted after, so every guess in flight saw a count below it (40 guesses, 40 checked; a right
// password last in a burst of 200 logged in). The attempt is now taken before the hash.

async function server(t: Test, env: Record<string, string>) {
  const app = await buildTestApp(t, { RATE_LIMIT_LOGIN: '10/15m', ...env })
  const base = await app.listen({ port: 0, host: '127.0.0.1' })
  const user = await register(app)
  const login = (password: string) => fetch(`${base}/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: user.username, password }),
  }).then(async (response) => ({ status: response.status, retryAfter: response.headers.get('retry-after'), body: await response.json() as { code: string } }))
  return { login, user }
}

const counts = (statuses: number[]) => statuses.reduce<Record<number, number>>((seen, status) => ({ ...seen, [status]: (seen[status] ?? 0) + 1 }), {})

async function attack(t: Test, env: Record<string, string>) {
  const { login, user } = await server(t, env)
  const guesses = await Promise.all(Array.from({ length: 40 }, (_, i) => login(`wrong-password-${i}`)))
  const seen = counts(guesses.map((guess) => guess.status))
  t.equal(seen[401], 10, `10 of 40 concurrent guesses are checked (${JSON.stringify(seen)})`)
  t.equal(seen[429], 30, 'the other 30 are refused')
  const refused = guesses.find((guess) => guess.status === 429)
  t.equal(refused?.body.code, 'RATE_LIMITED')
  t.ok(Number(refused?.retryAfter) > 800, `Retry-After ${refused?.retryAfter}`)

  const second = await server(t, env)
  const burst = await Promise.all([
    ...Array.from({ length: 199 }, (_, i) => second.login(`wrong-password-${i}`)),
    second.login(second.user.password),
  ])
  t.equal(counts(burst.map((answer) => answer.status))[401], 10, 'a burst of 200 has 10 passwords checked')
  t.equal(burst.at(-1)?.status, 429, 'the right password placed last does not log in')
  t.equal((await login(user.password)).status, 429, 'nor does it afterwards, within the window')
}

t.test('in one process', (t) => attack(t, {}))

t.test('counted in Redis', { skip: redisMissing && 'redis-server is not installed' }, (t) =>
  attack(t, { REDIS_URL: 'redis://127.0.0.1:6379', REDIS_PREFIX: `attack-login-${randomBytes(4).toString('hex')}` }))

t.test('counted in a Redis Cluster', { skip: redisMissing && 'redis-server is not installed' }, async (t) => {
  const { nodes } = await startRedisCluster(t)
  await attack(t, { REDIS_CLUSTER_NODES: nodes })
})

t.test('a right password gives its attempt back', async (t) => {
  const { login, user } = await server(t, { RATE_LIMIT_LOGIN: '2/15m' })
  for (let i = 0; i < 4; i++) t.equal((await login(user.password)).status, 200, 'one at a time, every right password logs in')
  t.equal((await login('wrong-password')).status, 401)
  t.equal((await login('wrong-password')).status, 401)
  t.equal((await login(user.password)).status, 429)
})
