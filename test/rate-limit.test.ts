import t from 'tap'
import { buildTestApp, register, uniqueName } from './helper.js'

const login = (app: Awaited<ReturnType<typeof buildTestApp>>, username: string, password: string, ip = '203.0.113.7') =>
  app.inject({ method: 'POST', url: '/auth/login', payload: { username, password }, remoteAddress: ip })

t.test('failed logins are limited per (username, address) with Retry-After', async (t) => {
  const app = await buildTestApp(t, { RATE_LIMIT_LOGIN: '3/15m' })
  const user = await register(app)
  t.equal((await login(app, user.username, user.password)).statusCode, 200, 'successes do not count')
  for (let i = 0; i < 3; i++) t.equal((await login(app, user.username, 'wrong-password')).statusCode, 401)
  const limited = await login(app, user.username, user.password)
  t.equal(limited.statusCode, 429, 'even the right password waits once the limit is reached')
  t.same(Object.keys(limited.json()).sort(), ['code', 'error', 'message', 'statusCode'])
  t.equal(limited.json().code, 'RATE_LIMITED')
  t.equal(limited.json().error, 'Too Many Requests')
  const retryAfter = Number(limited.headers['retry-after'])
  t.ok(retryAfter > 800 && retryAfter <= 900, `Retry-After ${retryAfter} s`)
  t.equal((await login(app, user.username.toUpperCase(), 'wrong-password')).statusCode, 429, 'username case does not reset it')
  t.equal((await login(app, user.username, user.password, '198.51.100.1')).statusCode, 200, 'another address is not limited')
  const other = await register(app)
  t.equal((await login(app, other.username, other.password)).statusCode, 200, 'another username is not limited')
  t.equal((await login(app, uniqueName('ghost'), 'wrong-password')).statusCode, 401)
})

t.test('registrations are limited per address', async (t) => {
  const app = await buildTestApp(t, { RATE_LIMIT_REGISTER: '2/1h' })
  const attempt = (ip: string) => app.inject({
    method: 'POST', url: '/auth/register', payload: { username: uniqueName(), password: 'password123' }, remoteAddress: ip,
  })
  t.equal((await attempt('203.0.113.9')).statusCode, 201)
  t.equal((await attempt('203.0.113.9')).statusCode, 201)
  const limited = await attempt('203.0.113.9')
  t.equal(limited.statusCode, 429)
  t.equal(limited.json().code, 'RATE_LIMITED')
  t.ok(Number(limited.headers['retry-after']) > 3500)
  t.equal((await attempt('203.0.113.10')).statusCode, 201)
})

t.test('the defaults hold: 10 failed logins, then 429', async (t) => {
  const app = await buildTestApp(t, { RATE_LIMIT_LOGIN: '10/15m', RATE_LIMIT_REGISTER: '30/1h' })
  const user = await register(app)
  for (let i = 0; i < 10; i++) t.equal((await login(app, user.username, 'wrong-password')).statusCode, 401)
  t.equal((await login(app, user.username, 'wrong-password')).statusCode, 429)
})

t.test('0 turns the limits off', async (t) => {
  const app = await buildTestApp(t, { RATE_LIMIT_LOGIN: '0', RATE_LIMIT_REGISTER: '0' })
  const user = await register(app)
  const codes = new Set<number>()
  for (let i = 0; i < 15; i++) codes.add((await login(app, user.username, 'wrong-password')).statusCode)
  t.same([...codes], [401])
})

t.test('behind a trusted proxy the forwarded address counts', async (t) => {
  const app = await buildTestApp(t, { RATE_LIMIT_LOGIN: '1/15m', TRUST_PROXY: '127.0.0.1' })
  const user = await register(app)
  const viaProxy = (client: string) => app.inject({
    method: 'POST', url: '/auth/login', remoteAddress: '127.0.0.1',
    headers: { 'x-forwarded-for': client }, payload: { username: user.username, password: 'wrong-password' },
  })
  t.equal((await viaProxy('198.51.100.20')).statusCode, 401)
  t.equal((await viaProxy('198.51.100.20')).statusCode, 429)
  t.equal((await viaProxy('198.51.100.21')).statusCode, 401, 'each client behind the proxy has its own count')
})
