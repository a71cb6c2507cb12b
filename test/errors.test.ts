import t from 'tap'
import { Writable } from 'node:stream'
import { buildTestApp, register } from './helper.js'

const lines: string[] = []
const logStream = new Writable({ write(chunk, _encoding, done) { lines.push(String(chunk)); done() } })
const app = await buildTestApp(t, { LOG_LEVEL: 'info' }, { logStream })
// A route that fails the way a bug would, to see what reaches the client and the log.
app.get('/test/explode', async () => { throw new Error('SELECT secret FROM vault failed at db.ts:42') })
const user = await register(app)

const shape = ['code', 'error', 'message', 'statusCode']

t.test('unknown routes are 404 ROUTE_NOT_FOUND in the error shape', async (t) => {
  const response = await app.inject({ url: '/nowhere?token=abc' })
  t.equal(response.statusCode, 404)
  t.same(response.json(), { statusCode: 404, code: 'ROUTE_NOT_FOUND', error: 'Not Found', message: 'route GET /nowhere not found' })
})

t.test('bad JSON bodies', async (t) => {
  const post = (payload: string, contentType = 'application/json') =>
    app.inject({ method: 'POST', url: '/auth/login', payload, headers: { 'content-type': contentType } })
  const broken = await post('{"username": "abc",')
  t.equal(broken.statusCode, 400)
  t.same(Object.keys(broken.json()).sort(), shape)
  t.equal(broken.json().code, 'FST_ERR_CTP_INVALID_JSON_BODY')
  const empty = await post('')
  t.equal(empty.statusCode, 400)
  t.match(empty.json().code, /^[A-Z_]+$/)
  const wrongType = await post('username=abc', 'application/x-www-form-urlencoded')
  t.equal(wrongType.statusCode, 415)
  t.equal(wrongType.json().code, 'UNSUPPORTED_MEDIA_TYPE')
  const tooLarge = await post(JSON.stringify({ username: 'abc', password: 'x'.repeat(1024 * 1024) }))
  t.equal(tooLarge.statusCode, 413)
  t.same(tooLarge.json(), { statusCode: 413, code: 'PAYLOAD_TOO_LARGE', error: 'Payload Too Large', message: 'Request body is too large' })
  const justUnder = await post(JSON.stringify({ username: 'abc', password: 'x'.repeat(1024 * 1024 - 100) }))
  t.equal(justUnder.statusCode, 400, 'a body under 1 MiB is read (and then fails validation)')
  const proto = await post('{"__proto__": {"admin": true}, "username": "abc", "password": "password123"}')
  t.equal(proto.statusCode, 400, 'prototype poisoning is refused')
})

t.test('a 500 hides its details from the client and logs them with the request id', async (t) => {
  const response = await app.inject({ url: '/test/explode' })
  t.equal(response.statusCode, 500)
  t.same(response.json(), { statusCode: 500, code: 'INTERNAL_SERVER_ERROR', error: 'Internal Server Error', message: 'something went wrong on our side' })
  t.notMatch(response.body, /SELECT|vault|db\.ts/)
  const logged = lines.map((line) => JSON.parse(line)).find((entry) => entry.msg === 'request failed')
  t.ok(logged, 'the error is logged')
  t.match(logged.err.message, /SELECT secret FROM vault/)
  t.type(logged.err.stack, 'string')
  t.type(logged.reqId, 'string')
})

t.test('secrets never reach the logs', async (t) => {
  lines.length = 0
  await app.inject({ method: 'POST', url: '/auth/login', payload: { username: user.username, password: user.password } })
  await app.inject({ url: `/users/me?token=${user.token}&x=1`, headers: user.auth })
  await app.inject({ url: '/users/me', headers: { authorization: `Bearer ${user.token}`, 'sec-websocket-protocol': `bearer, ${user.token}` } })
  const log = lines.join('')
  t.ok(lines.length >= 6, 'requests were logged')
  t.notMatch(log, user.password)
  t.notMatch(log, user.token)
  t.notMatch(log, user.token.split('.')[2]!, 'not even the signature')
  t.match(log, /token=\[REDACTED\]&x=1/, 'the query string is redacted, not dropped')
})
