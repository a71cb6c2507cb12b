import t from 'tap'
import { once } from 'node:events'
import { connect, type Socket } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { buildTestApp, register } from './helper.js'
import { imageOf, multipart, picturePart, statusOf, upload } from './picture-fixtures.js'
import { pictureStore } from './picture-stores.js'

const MiB = 1024 * 1024
const store = await pictureStore(t)
const app = await buildTestApp(t, { ...store.env, MAX_UPLOAD_BYTES: String(MiB) })
const user = await register(app)
const original = (await upload(app, user.auth, [picturePart(await imageOf('png'))])).json().profilePictureUrl as string
await app.listen({ port: 0, host: '127.0.0.1' })
const { port } = app.server.address() as { port: number }
const pictureOf = async () => (await app.inject({ url: '/users/me', headers: user.auth })).json().profilePictureUrl as string

/** A socket that collects the server's answer and notes when the server closes its side. */
function open() {
  const socket = connect(port, '127.0.0.1')
  const state = { response: '', closedByServer: false }
  socket.setEncoding('latin1')
  socket.on('data', (chunk: string) => { state.response += chunk })
  socket.on('end', () => { state.closedByServer = true })
  socket.on('error', () => {})
  const answered = new Promise<void>((resolve) => {
    const check = () => { if (state.response.includes('\r\n\r\n')) resolve() }
    socket.on('data', check)
    socket.on('close', () => resolve())
  })
  return { socket, state, answered }
}

/** Writes `total` bytes of `filler` (in 1 MiB chunks) until the server answers; answers how many it wrote. */
async function stream(socket: Socket, answered: Promise<void>, total: number, encode = (chunk: Buffer) => chunk) {
  const filler = Buffer.alloc(MiB, 0x41)
  let sent = 0
  let done = false
  void answered.then(() => { done = true })
  while (!done && sent < total && !socket.destroyed) {
    sent += filler.length
    if (!socket.write(encode(filler))) await Promise.race([once(socket, 'drain').catch(() => {}), answered])
  }
  return sent
}

const head = (extra: string) =>
  `PUT /users/me/profile-picture HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${user.token}\r\n` +
  `Content-Type: multipart/form-data; boundary=xyz\r\n${extra}\r\n`
const partHead = '--xyz\r\nContent-Disposition: form-data; name="profilePicture"; filename="big.png"\r\nContent-Type: image/png\r\n\r\n'

t.test('a streamed 100 MiB upload is answered 413 once the limit is passed, and not read further', async (t) => {
  const { socket, state, answered } = open()
  const chunked = (data: Buffer) => Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from('\r\n')])
  socket.write(head('Transfer-Encoding: chunked\r\n') + chunked(Buffer.from(partHead)).toString('latin1'), 'latin1')
  const sent = await stream(socket, answered, 100 * MiB, chunked)
  t.equal(statusOf(state.response), 413)
  t.match(state.response, /\r\nconnection: close\r\n/i, 'the server says it will not read on')
  t.match(state.response, /"code":"PAYLOAD_TOO_LARGE"/)
  t.ok(sent < 40 * MiB, `answered after ${sent / MiB} MiB of 100 were written`)
  await Promise.race([once(socket, 'close').catch(() => {}), sleep(5000, undefined, { ref: false })])
  t.ok(state.closedByServer || socket.destroyed, 'the server closed the connection')
  socket.destroy()
  t.same(await store.names(), [original.slice(8)], 'nothing was written')
  t.equal(await pictureOf(), original)
})

t.test('a declared length far over the limit is refused before the body is read', async (t) => {
  const { socket, state, answered } = open()
  socket.write(head(`Content-Length: ${100 * MiB}\r\n`) + partHead)
  await Promise.race([answered, sleep(5000, undefined, { ref: false })])
  t.equal(statusOf(state.response), 413, 'answered with no more than the headers sent')
  t.match(state.response, /"code":"PAYLOAD_TOO_LARGE"/)
  t.match(state.response, /\r\nconnection: close\r\n/i)
  socket.destroy()
  t.same(await store.names(), [original.slice(8)])
})

t.test('an upload aborted midway leaves the old picture and no stray file', async (t) => {
  const { payload, headers } = multipart([picturePart(await imageOf('png', 500, 500))])
  for (const fraction of [0.1, 0.5, 0.99]) {
    const { socket } = open()
    socket.write(`PUT /users/me/profile-picture HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${user.token}\r\n` +
      `Content-Type: ${headers['content-type']}\r\nContent-Length: ${payload.length}\r\n\r\n`)
    socket.write(payload.subarray(0, Math.floor(payload.length * fraction)))
    await sleep(100)
    socket.destroy()
    await sleep(200)
    t.equal(await pictureOf(), original, `aborted at ${fraction * 100}%: the old picture stays`)
    t.same(await store.names(), [original.slice(8)], `aborted at ${fraction * 100}%: no new or temp file`)
  }
  t.equal((await app.inject({ url: original })).statusCode, 200, 'the old picture is still served')
  const after = await upload(app, user.auth, [picturePart(await imageOf('jpeg'))])
  t.equal(after.statusCode, 200, 'the next upload works')
})
