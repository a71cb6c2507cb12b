import t from 'tap'
import { connect } from 'node:net'
import { once } from 'node:events'
import { buildTestApp, register } from './helper.js'
import { imageOf } from './picture-fixtures.js'
import { pause } from './redis-helpers.js'

// Clients that go away mid-request (an upload cut off, a JSON body never finished) were logged
// at level error with a stack, 52 times in one run: noise an operator learns to ignore. They are
// one debug line each, without a stack.

t.test('a client that disconnects mid-body is one debug line, without a stack', async (t) => {
  const log: string[] = []
  const app = await buildTestApp(t, { LOG_LEVEL: 'debug' }, { logStream: { write: (line: string) => { log.push(line) } } })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as { port: number }
  const user = await register(app)
  const boundary = 'cut-off'
  const png = await imageOf('png', 400, 400, (image) => image.blur(1))
  const requests = [
    `PUT /users/me/profile-picture HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${user.token}\r\nContent-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: 100000\r\n\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="profilePicture"; filename="me.png"\r\nContent-Type: image/png\r\n\r\n${png.subarray(0, 2000).toString('latin1')}`,
    'POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"username":"someone",',
  ]
  for (const head of requests) {
    const socket = connect(port, '127.0.0.1')
    await once(socket, 'connect')
    socket.write(Buffer.from(head, 'latin1'))
    await pause(300)
    socket.destroy()
  }
  await pause(500)
  const lines = log.map((line) => JSON.parse(line) as { level: number, msg: string, err?: { stack?: string } })
  t.same(lines.filter((line) => line.level >= 50).map((line) => line.msg), [], 'nothing at error')
  t.same(lines.filter((line) => line.err?.stack).map((line) => line.msg), [], 'no stack at any level')
  t.equal(lines.filter((line) => line.msg === 'client went away mid-request').length, requests.length, 'a debug line for each')
})
