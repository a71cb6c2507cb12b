/**
 * Chat throughput and latency with real WebSocket clients: PAIRS mutual pairs, one socket per
 * user, every socket sending in turn at RATE messages/s in total for SECONDS (after WARMUP
 * seconds not counted). Prints stored-and-delivered messages/s, ack and delivery latency
 * p50/p99, and lost and duplicated messages, against the targets.
 *   npx tsx bench/chat.ts   (DATABASE_URL: the server to create a scratch database on)
 *   PAIRS=200 RATE=6000 SECONDS=10 WARMUP=2 npx tsx bench/chat.ts
 */
import { createHmac } from 'node:crypto'
import { loadavg } from 'node:os'
import postgres from 'postgres'
import WebSocket from 'ws'
import { JWT_SECRET, freshDatabase, startService } from './lib.js'

const PAIRS = Number(process.env.PAIRS ?? 200)
const RATE = Number(process.env.RATE ?? 6000)
const SECONDS = Number(process.env.SECONDS ?? 10)
const WARMUP = Number(process.env.WARMUP ?? 2)
const TEXT = 'The quick brown fox jumps over the lazy dog, again and again.'

const token = (userId: number) => {
  const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url')
  const now = Math.floor(Date.now() / 1000)
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({ sub: String(userId), iat: now, exp: now + 3600 })}`
  return `${unsigned}.${createHmac('sha256', JWT_SECRET).update(unsigned).digest('base64url')}`
}

const percentile = (values: number[], p: number) => {
  if (values.length === 0) return Number.NaN
  const sorted = Float64Array.from(values).sort()
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number
}

interface Peer { socket: WebSocket, userId: number, recipientId: number }

const database = await freshDatabase('bench_chat')
const service = await startService({ DATABASE_URL: database.url })
const sql = postgres(database.url, { max: 1, onnotice: () => {} })
try {
  const users = await sql<Array<{ id: string }>>`insert into users (username, password_hash)
    select 'chat' || g, 'not-a-hash' from generate_series(1, ${2 * PAIRS}) g returning id`
  const ids = users.map((user) => Number(user.id)).sort((a, b) => a - b)
  await sql`insert into follows (follower_id, followee_id)
    select a, b from unnest(${sql.array(ids)}::bigint[]) with ordinality as u(a, i)
    cross join lateral (select case when i % 2 = 1 then a + 1 else a - 1 end as b) pair`
  await sql`analyze`

  // Forgotten once both the ack and the delivery are in, so the generator's heap (and GC) stays small.
  const sentAt = new Map<string, { at: number, seen: number }>()
  const ackLatency: number[] = []
  const deliveryLatency: number[] = []
  const delivered = new Set<number>()
  const acked = new Set<number>()
  let duplicates = 0
  let refusals = 0
  let socketErrors = 0
  let measuring = false
  let measuredDeliveries = 0

  const wsBase = service.base.replace('http', 'ws')
  const peers: Peer[] = []
  for (let start = 0; start < ids.length; start += 100) {
    peers.push(...await Promise.all(ids.slice(start, start + 100).map((userId, offset) => new Promise<Peer>((resolve, reject) => {
      const index = start + offset
      const recipientId = ids[index % 2 === 0 ? index + 1 : index - 1] as number
      const socket = new WebSocket(`${wsBase}/chat`, { headers: { authorization: `Bearer ${token(userId)}` } })
      socket.on('message', (data) => {
        const now = performance.now()
        const frame = JSON.parse(data.toString()) as { type: string, id: number, senderId: number, clientMessageId: string }
        const key = `${frame.senderId}:${frame.clientMessageId}`
        const sending = sentAt.get(key)
        const at = sending?.at
        if (sending && ++sending.seen === 2) sentAt.delete(key)
        if (frame.type === 'ack') {
          if (acked.has(frame.id)) duplicates++
          acked.add(frame.id)
          if (at !== undefined && measuring) ackLatency.push(now - at)
        } else if (frame.type === 'message') {
          if (delivered.has(frame.id)) duplicates++
          delivered.add(frame.id)
          if (at !== undefined && measuring) {
            deliveryLatency.push(now - at)
            measuredDeliveries++
          }
        } else {
          refusals++
        }
      })
      socket.once('open', () => resolve({ socket, userId, recipientId }))
      socket.on('error', (error) => {
        socketErrors++
        reject(error)
      })
    }))))
  }
  console.log(`load average before: ${loadavg().map((load) => load.toFixed(2)).join(' ')} (the numbers below are only as quiet as this machine)`)
  console.log(`${peers.length} sockets open (${PAIRS} mutual pairs); sending ${RATE} messages/s for ${WARMUP} s warm-up + ${SECONDS} s`)

  let sent = 0
  let next = 0
  const send = (count: number) => {
    for (let i = 0; i < count; i++) {
      const peer = peers[next++ % peers.length] as Peer
      const clientMessageId = `m${sent++}`
      sentAt.set(`${peer.userId}:${clientMessageId}`, { at: performance.now(), seen: 0 })
      peer.socket.send(`{"type":"message","recipientId":${peer.recipientId},"messageText":"${TEXT}","clientMessageId":"${clientMessageId}"}`)
    }
  }
  const run = (seconds: number) => new Promise<void>((done) => {
    const started = performance.now()
    const already = sent
    const timer = setInterval(() => {
      const elapsed = (performance.now() - started) / 1000
      send(Math.floor(Math.min(elapsed, seconds) * RATE) - (sent - already))
      if (elapsed >= seconds) {
        clearInterval(timer)
        done()
      }
    }, 2)
  })

  await run(WARMUP)
  measuring = true
  const measuredFrom = performance.now()
  await run(SECONDS)
  // Deliveries still on their way when sending stops count too, up to a bound.
  const deadline = performance.now() + 10_000
  while ((delivered.size < sent || acked.size < sent) && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20))
  const measuredSeconds = (performance.now() - measuredFrom) / 1000
  measuring = false

  const [stored] = await sql<Array<{ count: number }>>`select count(*)::int as count from messages`
  for (const { socket } of peers) socket.close()

  const throughput = Math.round(measuredDeliveries / measuredSeconds)
  const lost = sent - delivered.size
  const p = (values: number[], q: number) => percentile(values, q).toFixed(1)
  const verdict = (ok: boolean) => (ok ? 'ok' : 'MISSED')
  console.log(`sent ${sent}, acked ${acked.size}, delivered ${delivered.size}, stored ${stored?.count}, refused ${refusals}, socket errors ${socketErrors}`)
  console.log(`stored-and-delivered: ${throughput} messages/s (target >= 5000: ${verdict(throughput >= 5000)})`)
  console.log(`ack latency:      p50 ${p(ackLatency, 50)} ms, p99 ${p(ackLatency, 99)} ms`)
  console.log(`delivery latency: p50 ${p(deliveryLatency, 50)} ms, p99 ${p(deliveryLatency, 99)} ms (target p99 < 50 ms: ${verdict(percentile(deliveryLatency, 99) < 50)})`)
  console.log(`load average after: ${loadavg().map((load) => load.toFixed(2)).join(' ')}`)
  console.log(`lost ${lost}, duplicated ${duplicates} (target 0: ${verdict(lost === 0 && duplicates === 0 && stored?.count === sent)})`)
} finally {
  await sql.end()
  await service.stop()
  await database.drop()
}
