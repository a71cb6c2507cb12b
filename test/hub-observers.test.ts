import { randomUUID } from 'node:crypto'
import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import WebSocket, { WebSocketServer } from 'ws'
import { createHub } from '../src/features/chat/hub.js'
import { pino } from 'pino'

const server = new WebSocketServer({ port: 0, host: '127.0.0.1' })
await once(server, 'listening')
t.teardown(() => new Promise((closed) => server.close(closed)))
const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`
const log = pino({ level: 'silent' })

/** Opens a client and adds the server's side of it to the hub as `userId`. */
async function open(hub: ReturnType<typeof createHub>, userId: number) {
  const accepted = once(server, 'connection') as Promise<[WebSocket]>
  const client = new WebSocket(url)
  const [socket] = await accepted
  hub.add(socket, userId, Date.now() + 60_000, randomUUID())
  await once(client, 'open')
  return { client, socket }
}

async function close({ client, socket }: { client: WebSocket, socket: WebSocket }) {
  const closed = once(socket, 'close')
  client.close()
  await closed
}

t.test("observers hear of a user's first socket opening and last socket closing, once each", async (t) => {
  const hub = createHub({ heartbeatMs: 60_000, maxBufferedBytes: 1 << 20, log })
  const heard: string[] = []
  const stop = hub.observe({ firstSocket: (id) => heard.push(`first ${id}`), lastSocket: (id) => heard.push(`last ${id}`) })
  const phone = await open(hub, 7)
  const laptop = await open(hub, 7)
  const tablet = await open(hub, 7)
  const other = await open(hub, 8)
  t.same(heard, ['first 7', 'first 8'])
  t.ok(hub.has(7))
  t.same([...hub.users()].sort(), [7, 8])
  t.equal(hub.socketsOf(7), 3)

  await close(phone)
  t.equal(hub.socketsOf(7), 2)
  await close(tablet)
  t.equal(hub.socketsOf(7), 1)
  t.same(heard, ['first 7', 'first 8'], 'another device still open: no last')
  await close(laptop)
  t.equal(hub.socketsOf(7), 0)
  t.same(heard, ['first 7', 'first 8', 'last 7'])
  t.notOk(hub.has(7))

  stop()
  await close(other)
  t.same(heard, ['first 7', 'first 8', 'last 7'], 'a stopped observer hears nothing')
  await hub.close(async () => {})
})

t.test('an observer that throws does not stop the others nor the socket', async (t) => {
  const hub = createHub({ heartbeatMs: 60_000, maxBufferedBytes: 1 << 20, log })
  const heard: number[] = []
  hub.observe({ firstSocket: () => { throw new Error('observer bug') } })
  hub.observe({ firstSocket: (id) => heard.push(id), lastSocket: (id) => heard.push(-id) })
  const phone = await open(hub, 9)
  t.same(heard, [9])
  t.ok(hub.has(9))
  const clientClosed = once(phone.client, 'close')
  await hub.close(async () => {})
  await clientClosed
  t.same(heard, [9, -9], 'shutdown closes the last socket too')
})
