import t from 'tap'
import WebSocket from 'ws'
import { buildTestApp, register } from './helper.js'

// 2,000 sockets of one user were accepted, and each message to that user was written 2,000
// times; upgrades with bad tokens were not limited per address at all.

/** Opens a socket, or answers the status and body of the refusal. */
function upgrade(url: string, token: string) {
  return new Promise<{ socket?: WebSocket, status: number, body: string, retryAfter?: string }>((resolve, reject) => {
    const socket = new WebSocket(url, { headers: { authorization: `Bearer ${token}` } })
    socket.on('open', () => resolve({ socket, status: 101, body: '' }))
    socket.on('unexpected-response', (_request, response) => {
      let body = ''
      response.setEncoding('utf8').on('data', (chunk: string) => { body += chunk })
        .on('end', () => resolve({ status: response.statusCode ?? 0, body, retryAfter: response.headers['retry-after'] }))
    })
    socket.on('error', reject)
  })
}

t.test('one user past CHAT_SOCKETS_PER_USER is refused 429 before the upgrade', async (t) => {
  const app = await buildTestApp(t, { CHAT_SOCKETS_PER_USER: '3' })
  const ws = (await app.listen({ port: 0, host: '127.0.0.1' })).replace('http', 'ws')
  const [alice, bob] = [await register(app), await register(app)]
  const opened = await Promise.all([1, 2, 3].map(() => upgrade(`${ws}/chat`, alice.token)))
  t.teardown(() => { for (const { socket } of opened) socket?.terminate() })
  t.same(opened.map(({ status }) => status), [101, 101, 101])
  for (const url of [`${ws}/chat`, `${ws}/`]) {
    const refused = await upgrade(url, alice.token)
    t.equal(refused.status, 429, url)
    t.same(JSON.parse(refused.body), {
      statusCode: 429, code: 'TOO_MANY_SOCKETS', error: 'Too Many Requests', message: 'at most 3 chat sockets per user are open at once; close one first',
    })
  }
  t.ok(opened.every(({ socket }) => socket?.readyState === WebSocket.OPEN), 'the open ones stay open')
  const other = await upgrade(`${ws}/chat`, bob.token)
  t.equal(other.status, 101, 'another user is not limited')
  other.socket?.terminate()

  const closed = new Promise((resolve) => opened[0]!.socket!.once('close', resolve))
  opened[0]!.socket!.close()
  await closed
  // The server counts the socket gone once it has seen the close; a few tries cover the delay.
  let again = await upgrade(`${ws}/chat`, alice.token)
  for (let tries = 0; again.status !== 101 && tries < 50; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 50))
    again = await upgrade(`${ws}/chat`, alice.token)
  }
  t.equal(again.status, 101, 'a closed socket makes room')
  again.socket?.terminate()
})

t.test('an address whose upgrades keep failing is refused before its token is read', async (t) => {
  const app = await buildTestApp(t, { CHAT_UPGRADE_FAILURES: '5/1m' })
  const ws = (await app.listen({ port: 0, host: '127.0.0.1' })).replace('http', 'ws')
  const user = await register(app)
  const failures = await Promise.all([1, 2, 3, 4, 5].map((i) => upgrade(`${ws}/chat`, `not-a-token-${i}`)))
  t.same(failures.map(({ status }) => status), [401, 401, 401, 401, 401])
  const limited = await upgrade(`${ws}/chat`, 'not-a-token')
  t.equal(limited.status, 429)
  t.equal(JSON.parse(limited.body).code, 'RATE_LIMITED')
  t.ok(Number(limited.retryAfter) > 0, `Retry-After ${limited.retryAfter}`)
  t.equal((await upgrade(`${ws}/chat`, user.token)).status, 429, 'a valid token from that address waits too')
  t.equal((await app.inject({ url: '/users/me', headers: user.auth })).statusCode, 200, 'HTTP routes are not limited by it')
})
