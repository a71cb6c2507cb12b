import { Writable } from 'node:stream'
import t from 'tap'
import { ChatClient, befriend, chatServer, refusedUpgrade } from './chat-helpers.js'
import { signedToken } from './forged-token.js'
import { register } from './helper.js'

const logLines: string[] = []
const logStream = new Writable({
  write(chunk, _encoding, done) {
    logLines.push(chunk.toString())
    done()
  },
})
// A real port: how the token travels in an upgrade request is what these tests are about.
const { app, url: base } = await chatServer(t, { env: { LOG_LEVEL: 'debug' }, build: { logStream }, network: true })

const hs256 = signedToken

t.test('the token is accepted as ?token=, as Authorization: Bearer and as the bearer subprotocol', async (t) => {
  const [alice, bob] = [await register(app), await register(app)]
  await befriend(app, alice, bob)
  const byQuery = await ChatClient.connect(`${base}/chat`, { token: alice.token })
  const byHeader = await ChatClient.connect(`${base}/chat`, { headers: alice.auth })
  const byProtocol = await ChatClient.connect(`${base}/chat`, { protocols: ['bearer', alice.token] })
  const bobClient = await ChatClient.connect(`${base}/`, { protocols: ['bearer', bob.token] })
  t.teardown(() => Promise.all([byQuery, byHeader, byProtocol, bobClient].map((client) => client.close())))
  t.equal(byProtocol.socket.protocol, 'bearer', 'the server selects the bearer subprotocol')
  t.equal(byQuery.socket.protocol, '', 'and selects none when none was offered')

  byProtocol.send({ recipientId: bob.id, messageText: 'which one am I?' })
  t.match(await byProtocol.nextOf('ack'), { senderId: alice.id })
  t.match(await byQuery.nextOf('message'), { senderId: alice.id }, 'the three sockets are one user')
  t.match(await byHeader.nextOf('message'), { senderId: alice.id })
  t.match(await bobClient.nextOf('message'), { senderId: alice.id, recipientId: bob.id })
})

t.test('a missing, malformed, forged or expired token is an HTTP 401 before any upgrade', async (t) => {
  const user = await register(app)
  const now = Math.floor(Date.now() / 1000)
  const cases: Array<[string, string, { protocols?: string[], headers?: Record<string, string> }, string]> = [
    ['no token', `${base}/chat`, {}, 'UNAUTHORIZED'],
    ['no token on the old path', `${base}/`, {}, 'UNAUTHORIZED'],
    ['garbage ?token=', `${base}/chat?token=not-a-jwt`, {}, 'TOKEN_INVALID'],
    ['garbage header', `${base}/chat`, { headers: { authorization: 'Bearer not-a-jwt' } }, 'TOKEN_INVALID'],
    ['garbage subprotocol', `${base}/chat`, { protocols: ['bearer', 'not-a-jwt'] }, 'TOKEN_INVALID'],
    ['another secret', `${base}/chat?token=${user.token.slice(0, -4)}AAAA`, {}, 'TOKEN_INVALID'],
    ['expired', `${base}/chat?token=${hs256({ sub: String(user.id), iat: now - 100, exp: now - 10 })}`, {}, 'TOKEN_EXPIRED'],
    ['expired, old path', `${base}/?token=${hs256({ sub: String(user.id), iat: now - 100, exp: now - 10 })}`, {}, 'TOKEN_EXPIRED'],
    ['unknown user', `${base}/chat?token=${hs256({ sub: '987654321', iat: now, exp: now + 60 })}`, {}, 'TOKEN_INVALID'],
  ]
  for (const [name, url, options, code] of cases) {
    const { statusCode, body } = await refusedUpgrade(url, options)
    t.equal(statusCode, 401, name)
    t.match(body, { statusCode: 401, code, error: 'Unauthorized', message: String }, name)
  }
})

t.test('?token= is only read on an upgrade, never on a normal HTTP route', async (t) => {
  const user = await register(app)
  for (const url of ['/users/me', '/messages/sync', `/conversations/${user.id}/messages`, '/chat']) {
    const response = await app.inject({ url: `${url}?token=${user.token}` })
    t.equal(response.statusCode, 401, url)
    t.equal(response.json().code, 'UNAUTHORIZED')
  }
})

t.test('a plain HTTP GET of /chat is told to upgrade; GET / is a signpost', async (t) => {
  const user = await register(app)
  const chat = await app.inject({ url: '/chat', headers: user.auth })
  t.equal(chat.statusCode, 426)
  t.same(chat.json(), {
    statusCode: 426, code: 'UPGRADE_REQUIRED', error: 'Upgrade Required',
    message: '/chat only speaks WebSocket: send an upgrade request (see docs/chat.md)',
  })
  const root = await app.inject({ url: '/' })
  t.equal(root.statusCode, 200)
  t.same(root.json(), { name: 'social-api', docs: '/docs', chat: '/chat' })
})

t.test('tokens never reach the logs', async (t) => {
  const user = await register(app)
  const client = await ChatClient.connect(`${base}/chat`, { token: user.token })
  await client.close()
  const other = await ChatClient.connect(`${base}/`, { protocols: ['bearer', user.token] })
  await other.close()
  await refusedUpgrade(`${base}/chat?token=${user.token.slice(0, -4)}AAAA`)
  const logs = logLines.join('')
  t.match(logs, /token=\[REDACTED\]/, 'the upgrade requests were logged')
  t.notOk(logs.includes(user.token.split('.')[2] as string), 'no token signature in any log line')
})
