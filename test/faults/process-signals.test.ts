import t from 'tap'
import WebSocket from 'ws'
import { startChatLoad, type Ack } from './chat-load.js'
import { befriendOn, durableDatabase, registerOn, startServer, type StoredMessage } from '../server-process.js'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Acks the database does not hold as acknowledged (same id, same text). */
function missingFrom(rows: StoredMessage[], acks: Ack[]) {
  const stored = new Map(rows.map((row) => [row.clientMessageId, row]))
  return acks.filter((ack) => {
    const row = stored.get(ack.clientMessageId)
    return !row || row.id !== ack.id || row.messageText !== ack.messageText
  })
}

t.test('SIGKILL mid chat load: every acknowledged message is in the database', async (t) => {
  const database = await durableDatabase(t)
  const server = await startServer(t, { NODE_ENV: 'development', LOG_LEVEL: 'warn', ...database.env })
  const [alice, bob] = [await registerOn(server, 'kill_alice'), await registerOn(server, 'kill_bob')]
  await befriendOn(server, alice, bob)
  const loads = [
    startChatLoad({ url: `${server.ws}/chat`, token: alice.token, recipientId: bob.id, prefix: 'a', intervalMs: 2 }),
    startChatLoad({ url: `${server.ws}/chat`, token: bob.token, recipientId: alice.id, prefix: 'b', intervalMs: 2 }),
  ]
  await sleep(1500)
  server.child.kill('SIGKILL')
  t.equal((await server.exited).signal, 'SIGKILL')
  await Promise.all(loads.map((load) => load.abandon()))

  const acks = loads.flatMap((load) => [...load.acks.values()])
  const sent = loads.reduce((sum, load) => sum + load.sent, 0)
  t.ok(acks.length > 50, `${acks.length} of ${sent} messages were acked before the kill`)
  const rows = await database.messages()
  t.same(missingFrom(rows, acks), [], `all ${acks.length} acked messages are stored (${rows.length} rows: unacked ones may be stored too)`)
})

t.test('SIGTERM under load: in-flight requests complete, sockets close with 1001, exit within 10 s', async (t) => {
  const database = await durableDatabase(t)
  const server = await startServer(t, { NODE_ENV: 'development', ...database.env })
  const [alice, bob] = [await registerOn(server, 'term_alice'), await registerOn(server, 'term_bob')]
  await befriendOn(server, alice, bob)
  const listeners = await Promise.all(Array.from({ length: 4 }, () => new Promise<WebSocket>((resolve, reject) => {
    const socket = new WebSocket(`${server.ws}/chat`, { headers: bob.auth })
    socket.once('open', () => resolve(socket))
    socket.once('error', reject)
  })))
  const listenerCloses = listeners.map((socket) => new Promise<number>((resolve) => socket.once('close', (code) => resolve(code))))
  const load = startChatLoad({ url: `${server.ws}/chat`, token: alice.token, recipientId: bob.id, prefix: 't', intervalMs: 2 })
  await sleep(700)

  // Logins are slow on purpose (argon2, a few at a time): most are still running at the signal.
  // (A request that reaches the server after the signal is answered 503 with Connection: close.)
  let signalled = Number.POSITIVE_INFINITY
  const inFlight = Array.from({ length: 10 }, () => fetch(`${server.base}/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: alice.username, password: 'password123' }),
  }).then((response) => ({ status: response.status, afterSignal: Date.now() > signalled }), (error: Error) => ({ status: error.message, afterSignal: true })))
  // Signalled once the server has read all ten, so none is a request arriving after the signal.
  const received = () => server.output().split('\n').filter((line) => line.includes('"incoming request"') && line.includes('/auth/login')).length
  for (const deadline = Date.now() + 10_000; received() < 10 && Date.now() < deadline;) await sleep(10)
  signalled = Date.now()
  server.child.kill('SIGTERM')
  const answers = await Promise.all(inFlight)
  t.same(answers.map((answer) => answer.status), Array(10).fill(200), 'every in-flight login completes')
  t.ok(answers.some((answer) => answer.afterSignal), `${answers.filter((answer) => answer.afterSignal).length} of them completed after the signal`)
  t.same(await Promise.all(listenerCloses), [1001, 1001, 1001, 1001], 'listening sockets close with 1001')
  const exit = await Promise.race([server.exited, sleep(10_000).then(() => 'still running')])
  t.same(exit, { code: 0, signal: null }, `exits cleanly, ${Date.now() - signalled} ms after SIGTERM ${server.output()}`)
  t.ok(Date.now() - signalled < 10_000, 'within 10 s')
  await load.abandon()
  t.ok(load.closes.includes(1001), `the sending socket closed with 1001 (${load.closes.join(',')})`)
  const acks = [...load.acks.values()]
  t.same(missingFrom(await database.messages(), acks), [], `all ${acks.length} acked messages are stored`)
})
