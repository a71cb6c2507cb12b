/**
 * What a process pays for users it does not host, with REDIS_URL (per-user channels).
 * CPU is each server process's utime + stime from /proc/<pid>/stat over the measured seconds.
 *
 * 1. Chat at RATE messages/s with one, two and three processes, the users of a pair on the
 *    same process (pair i on process i mod N), and a bystander process that holds a socket of
 *    one user who chats with nobody. Per configuration: messages/s, delivery p99, each hosting
 *    process's CPU per message of its own users, and the bystander's CPU per message of all.
 * 2. 1,000 connected users on two processes: 500 on A, chatting in 250 pairs at RATE, and 500
 *    idle on B. With per-user channels B hears nothing of A's users. The baseline is what
 *    broadcast cost (every process hearing every message): B subscribed to every user, done
 *    here by also holding a socket of each of A's 500 users on B, so B decodes and delivers
 *    every message too (broadcast only decoded it: the baseline is an upper bound).
 * One JSON line at the end for bench/run.ts.
 *   RATE=1000 SECONDS=5 PAIRS=100 npx tsx bench/fanout.ts   (DATABASE_URL: the server for a scratch database)
 */
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import postgres from 'postgres'
import WebSocket from 'ws'
import { freePort, freshDatabase, ratio, startService, type Service } from './lib.js'
import { seedSessions, tokenFor } from './seed.js'

const RATE = Number(process.env.RATE ?? 1000)
const SECONDS = Number(process.env.SECONDS ?? 5)
const PAIRS = Number(process.env.PAIRS ?? 100)
const CLOCK_TICKS = 100
const TEXT = 'The quick brown fox jumps over the lazy dog, again and again.'

/** CPU milliseconds a process has used so far (user + system). */
function cpuMs(service: Service): number {
  const stat = readFileSync(`/proc/${service.process.pid}/stat`, 'utf8')
  // Fields after the command name, which is in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS
}

const p99 = (values: number[]) => (values.length === 0 ? Number.NaN : Math.round(Float64Array.from(values).sort()[Math.floor(values.length * 0.99)]! * 10) / 10)

interface Socket { socket: WebSocket, userId: number }

/** A socket of the user on the service; `onFrame` sees every frame. */
function open(service: Service, userId: number, onFrame: (frame: { type: string, senderId: number, clientMessageId: string }) => void) {
  return new Promise<Socket>((resolve, reject) => {
    const socket = new WebSocket(`${service.base.replace('http', 'ws')}/chat`, { headers: { authorization: `Bearer ${tokenFor(userId)}` } })
    socket.on('message', (data) => onFrame(JSON.parse(data.toString()) as never))
    socket.once('open', () => resolve({ socket, userId }))
    socket.once('error', reject)
  })
}

async function openAll(service: Service, ids: number[], onFrame: Parameters<typeof open>[2]) {
  const sockets: Socket[] = []
  for (let start = 0; start < ids.length; start += 100) sockets.push(...await Promise.all(ids.slice(start, start + 100).map((id) => open(service, id, onFrame))))
  return sockets
}

const closeAll = (sockets: Socket[]) => Promise.all(sockets.map(({ socket }) => new Promise((closed) => {
  socket.once('close', closed)
  socket.close()
})))

let runs = 0
const settle = () => new Promise((resolve) => setTimeout(resolve, 1500))

/**
 * Each sender sends to its partner, in turn, at RATE in all for SECONDS; answers the deliveries
 * counted, their p99 and the CPU each watched process used meanwhile.
 */
async function chat(senders: Array<{ from: Socket, to: number }>, watched: Service[], deliveryTimes: Map<string, number>, deliveries: number[]) {
  deliveries.length = 0
  deliveryTimes.clear()
  const before = watched.map(cpuMs)
  const started = performance.now()
  // A client message id is used once per sender for good: a repeated one is answered as already stored.
  const runId = ++runs
  let sent = 0
  await new Promise<void>((done) => {
    const timer = setInterval(() => {
      const elapsed = (performance.now() - started) / 1000
      const due = Math.floor(Math.min(elapsed, SECONDS) * RATE)
      for (; sent < due; sent++) {
        const { from, to } = senders[sent % senders.length]!
        const clientMessageId = `r${runId}m${sent}`
        deliveryTimes.set(`${from.userId}:${clientMessageId}`, performance.now())
        from.socket.send(`{"type":"message","recipientId":${to},"messageText":"${TEXT}","clientMessageId":"${clientMessageId}"}`)
      }
      if (elapsed >= SECONDS) {
        clearInterval(timer)
        done()
      }
    }, 2)
  })
  const deadline = performance.now() + 10_000
  while (deliveries.length < sent && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20))
  const seconds = (performance.now() - started) / 1000
  const cpu = watched.map((service, i) => cpuMs(service) - before[i]!)
  return { sent, delivered: deliveries.length, perSecond: Math.round(deliveries.length / seconds), p99: p99(deliveries), cpu }
}

/** A frame handler that notes each delivery's latency (the sender's own copies and acks ignored). */
function deliveryCounter(deliveryTimes: Map<string, number>, deliveries: number[], recipients: Set<number>) {
  return (userId: number) => (frame: { type: string, senderId: number, clientMessageId: string }) => {
    if (frame.type !== 'message' || !recipients.has(userId)) return
    const at = deliveryTimes.get(`${frame.senderId}:${frame.clientMessageId}`)
    if (at !== undefined) deliveries.push(performance.now() - at)
  }
}

async function redisForRun() {
  const port = await freePort()
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' })
  await new Promise((resolve) => setTimeout(resolve, 300))
  return { url: `redis://127.0.0.1:${port}`, stop: async () => { child.kill('SIGTERM'); await once(child, 'exit') } }
}

const database = await freshDatabase('bench_fanout')
const redis = await redisForRun()
const sql = postgres(database.url, { max: 1, onnotice: () => {} })
const running: Service[] = []
const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits
try {
  const env = { DATABASE_URL: database.url, REDIS_URL: redis.url }
  running.push(await startService(env))
  running.push(...await Promise.all([1, 2, 3].map(() => startService(env))))
  const [p1, p2, p3, bystander] = running as [Service, Service, Service, Service]
  const USERS = Math.max(2 * PAIRS, 1000) + 1
  const ids = (await sql<Array<{ id: string }>>`insert into users (username, password_hash)
    select 'fan' || g, 'not-a-hash' from generate_series(1, ${USERS}) g returning id`).map((row) => Number(row.id)).sort((a, b) => a - b)
  const loner = ids.pop()!
  // Users 2k and 2k+1 follow each other.
  await sql`insert into follows (follower_id, followee_id)
    select a, case when i % 2 = 1 then a + 1 else a - 1 end from unnest(${sql.array(ids)}::bigint[]) with ordinality as u(a, i)`
  await seedSessions(sql)
  await sql`analyze`
  console.log(`load average ${loadavg().map((load) => load.toFixed(2)).join(' ')}: a shared machine, so only the ratios within this run mean much`)

  const deliveryTimes = new Map<string, number>()
  const deliveries: number[] = []

  // 1. One, two, three processes at the same offered rate.
  const pairIds = ids.slice(0, 2 * PAIRS)
  const recipients = new Set(pairIds)
  const counter = deliveryCounter(deliveryTimes, deliveries, recipients)
  const lonely = await open(bystander, loner, () => {})
  const scaling = []
  for (const hosts of [[p1], [p1, p2], [p1, p2, p3]]) {
    const sockets = new Map<number, Socket>()
    for (let pair = 0; pair < PAIRS; pair++) {
      const host = hosts[pair % hosts.length]!
      for (const id of [pairIds[2 * pair]!, pairIds[2 * pair + 1]!]) sockets.set(id, await open(host, id, counter(id)))
    }
    await settle()
    const senders = pairIds.map((id, i) => ({ from: sockets.get(id)!, to: pairIds[i % 2 === 0 ? i + 1 : i - 1]! }))
    const result = await chat(senders, [...hosts, bystander], deliveryTimes, deliveries)
    const hostCpu = result.cpu.slice(0, hosts.length)
    const perHost = hostCpu.map((ms) => round(ms / (result.delivered / hosts.length)))
    const bystanderPerMessage = round(result.cpu.at(-1)! / result.delivered, 4)
    const totalPerMessage = round(hostCpu.reduce((a, b) => a + b, 0) / result.delivered)
    console.log(`${hosts.length} process(es): ${result.perSecond} msg/s delivered of ${RATE} offered, delivery p99 ${result.p99} ms, ` +
      `CPU per message of its own users ${perHost.join(' / ')} ms, all hosts ${totalPerMessage} ms; bystander ${bystanderPerMessage} ms per message (${result.cpu.at(-1)} ms in all)`)
    scaling.push({ processes: hosts.length, ...result, cpuMsPerOwnMessage: perHost, cpuMsPerMessage: totalPerMessage, bystanderCpuMsPerMessage: bystanderPerMessage })
    await closeAll([...sockets.values()])
  }
  await closeAll([lonely])

  // 2. 1,000 connected users on two processes: per-user channels vs every process hearing every user.
  const [a, b] = [p1, p2]
  const onA = ids.slice(0, 500)
  const onB = ids.slice(500, 1000)
  const busyRecipients = new Set(onA)
  const busyCounter = deliveryCounter(deliveryTimes, deliveries, busyRecipients)
  const socketsA = await openAll(a, onA, () => {})
  for (const socket of socketsA) socket.socket.removeAllListeners('message').on('message', (data) => busyCounter(socket.userId)(JSON.parse(data.toString()) as never))
  const socketsB = await openAll(b, onB, () => {})
  const senders = socketsA.map((from, i) => ({ from, to: onA[i % 2 === 0 ? i + 1 : i - 1]! }))
  await settle()
  const perUser = await chat(senders, [a, b], deliveryTimes, deliveries)
  const shadows = await openAll(b, onA, () => {})
  await settle()
  const everyUser = await chat(senders, [a, b], deliveryTimes, deliveries)
  await closeAll([...socketsA, ...socketsB, ...shadows])
  const bPer = (run: typeof perUser) => round(run.cpu[1]! / run.delivered, 4)
  console.log(`1,000 users on two processes, A's 250 pairs chatting: per-user channels: B ${run(perUser)}; ` +
    `B subscribed to every user: B ${run(everyUser)}`)
  function run(result: typeof perUser) {
    return `${bPer(result)} ms CPU per message of A's users (${result.cpu[1]} ms in all), A ${round(result.cpu[0]! / result.delivered)} ms, ${result.perSecond} msg/s, p99 ${result.p99} ms`
  }
  // /proc counts in ticks of 10 ms: a process that used none used less than one tick.
  const perUserBound = Math.max(perUser.cpu[1]!, 1000 / CLOCK_TICKS) / perUser.delivered
  const baselineVsPerUser = ratio(bPer(everyUser), perUserBound)
  console.log(`B's CPU per message of A's users, every-user subscription / per-user channels: ${perUser.cpu[1] === 0 ? 'at least ' : ''}${baselineVsPerUser}`)

  const [one, two, three] = scaling as [typeof scaling[0], typeof scaling[0], typeof scaling[0]]
  console.log(`CPU per message, all hosts: two processes / one ${ratio(two.cpuMsPerMessage, one.cpuMsPerMessage)}, three / one ${ratio(three.cpuMsPerMessage, one.cpuMsPerMessage)}`)
  console.log(JSON.stringify({
    scenario: 'fanout', offeredRate: RATE, seconds: SECONDS, pairs: PAIRS,
    scaling: scaling.map(({ processes, perSecond, p99: deliveryP99, cpuMsPerOwnMessage, cpuMsPerMessage, bystanderCpuMsPerMessage }) =>
      ({ processes, perSecond, deliveryP99, cpuMsPerOwnMessage, cpuMsPerMessage, bystanderCpuMsPerMessage })),
    thousandUsers: {
      perUser: { bCpuMsPerMessage: bPer(perUser), aCpuMs: perUser.cpu[0], bCpuMs: perUser.cpu[1], perSecond: perUser.perSecond },
      everyUser: { bCpuMsPerMessage: bPer(everyUser), aCpuMs: everyUser.cpu[0], bCpuMs: everyUser.cpu[1], perSecond: everyUser.perSecond },
      baselineVsPerUser,
    },
  }))
} finally {
  await sql.end()
  await Promise.all(running.map((service) => service.stop()))
  await redis.stop()
  await database.drop()
}
