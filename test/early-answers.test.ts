import t from 'tap'
import { once } from 'node:events'
import { connect } from 'node:net'
import { buildTestApp, register } from './helper.js'
import { multipart, picturePart } from './picture-fixtures.js'

// Uploads answered before their body was read (no token, over the limit, not multipart) must
// reach the client: the body still in flight must not make the server's close a reset that
// destroys the answer in the client's kernel (EPIPE, ECONNRESET) before the client read it.
const KiB = 1024
const MiB = 1024 * KiB
const app = await buildTestApp(t, { MAX_UPLOAD_BYTES: String(MiB) })
const user = await register(app)
await app.listen({ port: 0, host: '127.0.0.1' })
const { port } = app.server.address() as { port: number }
const base = `http://127.0.0.1:${port}`
const routes = [['PUT', '/users/me/profile-picture'], ['POST', '/users/uploadProfilePicture']] as const

const pictureOf = (bytes: number) => multipart([picturePart(Buffer.alloc(bytes, 0x41), 'big.jpg')])

/** What fetch made of each of `count` uploads, one after another: a status, or the connection error. */
async function outcomes(count: number, send: () => Promise<Response>): Promise<string[]> {
  const seen: string[] = []
  for (let i = 0; i < count; i++) {
    seen.push(await send().then(
      async (response) => `${response.status} ${(await response.json() as { code: string }).code}`,
      (error: Error & { cause?: { code?: string } }) => `${error.message} ${error.cause?.code ?? String(error.cause)}`,
    ))
  }
  return seen
}

for (const [method, path] of routes) {
  t.test(`${method} ${path}: 20 uploads of 256 KiB and of 4 MiB without a token each get their 401`, async (t) => {
    for (const size of [256 * KiB, 4 * MiB]) {
      const { payload, headers } = pictureOf(size)
      t.same(await outcomes(20, () => fetch(`${base}${path}`, { method, headers, body: payload })), Array(20).fill('401 UNAUTHORIZED'), `${size / KiB} KiB`)
    }
  })

  t.test(`${method} ${path}: 8 MiB declared over the limit of 1 MiB each get their 413`, async (t) => {
    const { payload, headers } = pictureOf(8 * MiB)
    t.same(await outcomes(5, () => fetch(`${base}${path}`, { method, headers: { ...headers, ...user.auth }, body: payload })), Array(5).fill('413 PAYLOAD_TOO_LARGE'))
  })

  t.test(`${method} ${path}: 8 MiB streamed without a length each get their 413 once past the limit`, async (t) => {
    const { payload, headers } = pictureOf(8 * MiB)
    const streamed = () => new ReadableStream({
      start(controller) {
        for (let at = 0; at < payload.length; at += 64 * KiB) controller.enqueue(payload.subarray(at, at + 64 * KiB))
        controller.close()
      },
    })
    const send = () => fetch(`${base}${path}`, { method, headers: { ...headers, ...user.auth }, body: streamed(), duplex: 'half' } as RequestInit)
    t.same(await outcomes(5, send), Array(5).fill('413 PAYLOAD_TOO_LARGE'))
  })

  t.test(`${method} ${path}: 512 KiB that is not multipart each get their 415`, async (t) => {
    const body = Buffer.alloc(512 * KiB, 0x41)
    for (const type of ['text/plain', 'application/octet-stream', 'image/jpeg']) {
      const send = () => fetch(`${base}${path}`, { method, headers: { 'content-type': type, ...user.auth }, body })
      t.same(await outcomes(5, send), Array(5).fill('415 UNSUPPORTED_MEDIA_TYPE'), type)
    }
  })
}

t.test('the connection is closed on purpose after an early answer, not left open or reset', async (t) => {
  const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true })
  const seen = { response: '', error: undefined as string | undefined, ended: false }
  socket.setEncoding('latin1')
  socket.on('data', (chunk: string) => { seen.response += chunk })
  socket.on('error', (error: NodeJS.ErrnoException) => { seen.error = error.code })
  socket.on('end', () => { seen.ended = true })
  await once(socket, 'connect')
  const { payload, headers } = pictureOf(4 * MiB)
  socket.write(`PUT /users/me/profile-picture HTTP/1.1\r\nHost: localhost\r\nContent-Type: ${headers['content-type']}\r\nContent-Length: ${payload.length}\r\n\r\n`)
  // The whole body, as a client that does not look at the answer before it has sent it.
  for (let at = 0; at < payload.length; at += 64 * KiB) {
    if (!socket.write(payload.subarray(at, at + 64 * KiB))) await once(socket, 'drain')
  }
  socket.end()
  await once(socket, 'close')
  t.match(seen.response, /^HTTP\/1\.1 401 /, 'the answer arrived')
  t.match(seen.response, /\r\nconnection: close\r\n/i, 'saying the connection ends with it')
  t.equal(seen.error, undefined, 'no write failed and nothing was reset')
  t.ok(seen.ended, 'the server ended the connection with a FIN')
})
