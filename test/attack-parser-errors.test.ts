import { once } from 'node:events'
import { connect } from 'node:net'
import t from 'tap'
import { buildTestApp } from './helper.js'

// Requests Node's HTTP parser refuses, sent as raw bytes: the answer is still the contract's.
const app = await buildTestApp(t)
await app.listen({ port: 0, host: '127.0.0.1' })
const { port } = app.server.address() as { port: number }

async function rawExchange(bytes: string): Promise<string> {
  const socket = connect(port, '127.0.0.1')
  await once(socket, 'connect')
  socket.write(bytes)
  const chunks: Buffer[] = []
  socket.on('data', (chunk: Buffer) => chunks.push(chunk))
  await once(socket, 'close')
  return Buffer.concat(chunks).toString('latin1')
}

function parse(answer: string) {
  const [head = '', body = ''] = answer.split('\r\n\r\n')
  const [status = '', ...lines] = head.split('\r\n')
  const headers = Object.fromEntries(lines.map((line) => {
    const at = line.indexOf(':')
    return [line.slice(0, at).toLowerCase(), line.slice(at + 1).trim()]
  }))
  return { statusCode: Number(status.split(' ')[1]), headers, body: JSON.parse(body) as Record<string, unknown> }
}

const normal = await app.inject({ url: '/health' })
const helmetHeaders = Object.keys(normal.headers).filter((name) => !['content-type', 'content-length', 'date', 'connection'].includes(name))

t.test('a malformed request is 400 in the error shape, with the security headers', async (t) => {
  for (const bytes of ['GARBAGE\r\n\r\n', 'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n', 'GET /\u0000 HTTP/1.1\r\n\r\n']) {
    const answer = parse(await rawExchange(bytes))
    t.equal(answer.statusCode, 400, JSON.stringify(bytes))
    t.same(answer.body, { statusCode: 400, code: 'BAD_REQUEST', error: 'Bad Request', message: 'the request is malformed' })
    for (const name of helmetHeaders) t.equal(answer.headers[name], normal.headers[name], name)
  }
})

t.test('headers over the limit are 431 in the error shape', async (t) => {
  const answer = parse(await rawExchange(`GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`))
  t.equal(answer.statusCode, 431)
  t.equal(answer.body.code, 'REQUEST_HEADER_FIELDS_TOO_LARGE')
  t.equal(answer.headers['x-content-type-options'], 'nosniff')
  t.equal(answer.headers['content-security-policy'], normal.headers['content-security-policy'])
})
