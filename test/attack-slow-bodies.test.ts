import { connect, type Socket } from 'node:net'
import t from 'tap'
import { buildTestApp, register } from './helper.js'

// Clients that send their body a byte at a time, over real sockets: Node bounds only the time
// to the end of the headers, so both held their connection for ever (still open after 54 min).

/** Writes `head` then one byte of filler every `everyMs` until the server answers; resolves what it answered once the socket closes. */
function trickle(port: number, head: string, everyMs: number) {
  const socket: Socket = connect(port, '127.0.0.1')
  let answer = ''
  socket.setEncoding('utf8').on('data', (chunk: string) => { answer += chunk })
  socket.write(head)
  const drip = setInterval(() => { if (socket.writable) socket.write('a') }, everyMs)
  return new Promise<{ answer: string, closed: boolean }>((resolve) => {
    // Generous: the server's deadline is a second or two; before the fix it never came.
    const giveUp = setTimeout(() => { socket.destroy(); resolve({ answer, closed: false }) }, 20_000)
    socket.on('close', () => {
      clearInterval(drip)
      clearTimeout(giveUp)
      resolve({ answer, closed: true })
    }).on('error', () => {})
  })
}

const statusOf = (answer: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1])
const bodyOf = (answer: string) => JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as { code: string, statusCode: number, error: string, message: string }

t.test('a JSON body trickled in is answered 408 and its connection closed', async (t) => {
  const app = await buildTestApp(t, { BODY_TIMEOUT: '1s' })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as { port: number }
  const { answer, closed } = await trickle(port, [
    'POST /auth/login HTTP/1.1', 'Host: localhost', 'Content-Type: application/json', 'Content-Length: 100000', '', '{"username":"',
  ].join('\r\n'), 100)
  t.ok(closed, 'the server closed the connection')
  t.equal(statusOf(answer), 408, answer.split('\r\n')[0] ?? '')
  t.match(answer, /\r\nconnection: close\r\n/i)
  t.same(bodyOf(answer), { statusCode: 408, code: 'REQUEST_TIMEOUT', error: 'Request Timeout', message: 'the request body did not arrive within 1 seconds' })
})

t.test('a picture upload trickled in is answered 408 and its connection closed', async (t) => {
  const app = await buildTestApp(t, { UPLOAD_TIMEOUT: '2s' })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as { port: number }
  const user = await register(app)
  const boundary = 'trickle'
  const { answer, closed } = await trickle(port, [
    'PUT /users/me/profile-picture HTTP/1.1', 'Host: localhost', `Authorization: ${user.auth.authorization}`,
    `Content-Type: multipart/form-data; boundary=${boundary}`, 'Content-Length: 1000000', '',
    `--${boundary}`, 'Content-Disposition: form-data; name="profilePicture"; filename="a.png"', 'Content-Type: image/png', '', '',
  ].join('\r\n'), 50)
  t.ok(closed, 'the server closed the connection')
  t.equal(statusOf(answer), 408, answer.split('\r\n')[0] ?? '')
  t.equal(bodyOf(answer).code, 'REQUEST_TIMEOUT')

  const { answer: preamble } = await trickle(port, [
    'PUT /users/me/profile-picture HTTP/1.1', 'Host: localhost', `Authorization: ${user.auth.authorization}`,
    `Content-Type: multipart/form-data; boundary=${boundary}`, 'Content-Length: 1000000', '', '',
  ].join('\r\n'), 50)
  t.equal(statusOf(preamble), 408, 'also while no part has begun')
})

t.test('bodies that arrive in time are served', async (t) => {
  const app = await buildTestApp(t, { BODY_TIMEOUT: '1s' })
  const user = await register(app)
  const response = await app.inject({ method: 'POST', url: '/auth/login', payload: { username: user.username, password: user.password } })
  t.equal(response.statusCode, 200)
})
