import t from 'tap'
import WebSocket from 'ws'
import { buildTestApp, register } from './helper.js'

const app = await buildTestApp(t, { ALLOWED_ORIGINS: 'https://app.example' })
await app.listen({ port: 0, host: '127.0.0.1' })
const { port } = app.server.address() as { port: number }
const user = await register(app)

t.test('security headers on every answer', async (t) => {
  for (const url of ['/health', '/users/me', '/nowhere']) {
    const response = await app.inject({ url, headers: user.auth })
    t.equal(response.headers['x-content-type-options'], 'nosniff', url)
    t.equal(response.headers['x-frame-options'], 'SAMEORIGIN', url)
    t.match(response.headers['strict-transport-security'], /max-age=/, url)
    t.match(response.headers['content-security-policy'], /default-src 'self'/, url)
  }
})

t.test('CORS answers only the allowed origins', async (t) => {
  const preflight = (origin: string) => app.inject({
    method: 'OPTIONS', url: '/users/me',
    headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
  })
  const allowed = await preflight('https://app.example')
  t.equal(allowed.statusCode, 204)
  t.equal(allowed.headers['access-control-allow-origin'], 'https://app.example')
  t.match(allowed.headers['access-control-allow-headers'], /authorization/)
  const other = await preflight('https://evil.example')
  t.notOk(other.headers['access-control-allow-origin'], 'no CORS grant for another origin')
  const simple = await app.inject({ url: '/users/me', headers: { ...user.auth, origin: 'https://app.example' } })
  t.equal(simple.headers['access-control-allow-origin'], 'https://app.example')
})

function upgrade(headers: Record<string, string>) {
  return new Promise<{ opened: boolean, status?: number, body?: string }>((resolve) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/chat?token=${user.token}`, { headers })
    socket.on('open', () => { socket.close(); resolve({ opened: true }) })
    socket.on('unexpected-response', (_request, response) => {
      let body = ''
      response.on('data', (chunk: Buffer) => { body += chunk })
      response.on('end', () => resolve({ opened: false, status: response.statusCode, body }))
    })
    socket.on('error', () => {})
  })
}

t.test('cross-site WebSocket hijacking: a foreign Origin is refused before the upgrade', async (t) => {
  const foreign = await upgrade({ origin: 'https://evil.example' })
  t.equal(foreign.opened, false)
  t.equal(foreign.status, 403)
  t.match(JSON.parse(foreign.body!), { statusCode: 403, code: 'ORIGIN_NOT_ALLOWED', error: 'Forbidden' })
  t.equal((await upgrade({ origin: 'null' })).status, 403, 'the opaque origin of sandboxed pages too')
  t.same(await upgrade({ origin: 'https://app.example' }), { opened: true }, 'an allowed origin')
  t.same(await upgrade({ origin: `http://127.0.0.1:${port}` }), { opened: true }, 'the same origin')
  t.same(await upgrade({}), { opened: true }, 'clients that are not browsers send no Origin')
})
