import t from 'tap'
import WebSocket from 'ws'
import { buildTestApp, register } from './helper.js'

// A WebSocket upgrade on a path with no socket handler (ws://host/users/me?token=JWT) was
// accepted (101), closed, and logged with its whole URL, the live token in it.

async function server(t: Parameters<typeof buildTestApp>[0]) {
  const log: string[] = []
  const app = await buildTestApp(t, {}, { logStream: { write: (line: string) => { log.push(line) } } })
  const base = await app.listen({ port: 0, host: '127.0.0.1' })
  return { app, log, ws: base.replace('http', 'ws') }
}

/** The status and body of a refused upgrade, or 101 if the socket opened. */
function upgrade(url: string) {
  return new Promise<{ status: number, body: string }>((resolve, reject) => {
    const socket = new WebSocket(url)
    socket.on('open', () => { socket.close(); resolve({ status: 101, body: '' }) })
    socket.on('unexpected-response', (_request, response) => {
      let body = ''
      response.setEncoding('utf8').on('data', (chunk: string) => { body += chunk }).on('end', () => resolve({ status: response.statusCode ?? 0, body }))
    })
    socket.on('error', reject)
  })
}

t.test('an upgrade on a path with no socket is refused before it is upgraded, and its token never logged', async (t) => {
  const { app, log, ws } = await server(t)
  const user = await register(app)
  for (const path of ['/users/me', '/users/1/followers', '/nowhere', '/health']) {
    const refused = await upgrade(`${ws}${path}?token=${user.token}`)
    t.equal(refused.status, 400, path)
    t.same(JSON.parse(refused.body), {
      statusCode: 400, code: 'NO_WEBSOCKET_HERE', error: 'Bad Request', message: `no WebSocket at ${path}; the chat socket is at /chat (see docs/chat.md)`,
    })
  }
  t.equal((await upgrade(`${ws}/chat?token=${user.token}`)).status, 101, 'the chat socket still opens')
  const signature = user.token.split('.')[2]!
  t.notOk(log.some((line) => line.includes(signature)), 'no log line holds the token')
  t.ok(log.some((line) => line.includes('?token=[REDACTED]')), 'the URLs were logged, redacted')
})

t.test('a ?token= is redacted in whatever a log line holds', async (t) => {
  const { app, log } = await server(t)
  const secret = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2VjcmV0LXNpZ25hdHVyZS12YWx1ZQ'
  app.log.info({ path: `/users/me?token=${secret}`, nested: { url: `/chat?a=1&token=${secret}#x` } }, `closed /x?token=${secret}`)
  app.log.error(new Error(`failed at ws://host/?token=${secret}`))
  const lines = log.slice(-2).join('')
  t.notOk(lines.includes('c2VjcmV0'), lines)
  for (const where of ['"path":"/users/me?token=[REDACTED]"', '"url":"/chat?a=1&token=[REDACTED]#x"', '"msg":"closed /x?token=[REDACTED]"', '"message":"failed at ws://host/?token=[REDACTED]"']) {
    t.ok(lines.includes(where), where)
  }
})
