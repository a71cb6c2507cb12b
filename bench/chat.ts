/**
 * Chat throughput and latency with real WebSocket clients: PAIRS mutual pairs, one socket per
 * user, every socket sending in turn at RATE messages/s in total for SECONDS (after WARMUP
 * seconds not counted). Three configurations at the same offered rate, on one scratch database,
 * taking turns for ROUNDS rounds (SECONDS split between them):
 *   - the service, one process;
 *   - the floor (bench/floor/chat.ts: node:http + ws + postgres-js doing the same work);
 *   - the service, two processes behind Redis, the two users of every pair on different
 *     processes (so every message crosses through Redis).
 * Each prints stored-and-delivered messages/s, ack and delivery latency p50/p99, and lost and
 * duplicated messages (checked against the acks, the deliveries and the rows stored); then the
 * ratios service / floor and two processes / one, and one JSON line for bench/run.ts.
 *   npx tsx bench/chat.ts   (DATABASE_URL: the server to create a scratch database on)
 *   PAIRS=200 RATE=6000 SECONDS=10 WARMUP=2 ROUNDS=2 npx tsx bench/chat.ts
 *   REDIS_URL=redis://... to use that Redis instead of a redis-server started for the run
 *   PROFILE=1 writes CPU profiles of the one-process service and of the floor into bench/profiles/
 *   BASELINE=/work/wt/bench-old RATES=2000,4000,6000,8000 npx tsx bench/chat.ts: this checkout against
 *     another one's server instead (see againstBaseline and bench/lib.ts)
 */
import { spawn, spawnSync } from 'node:child_process'
import { once } from 'node:events'
import { loadavg } from 'node:os'
import postgres from 'postgres'
import WebSocket from 'ws'
import { BASELINE, commitOf, freePort, freshDatabase, load1, ratio, startService, type Service } from './lib.js'
import { seedSessions, tokenFor } from './seed.js'

const PAIRS = Number(process.env.PAIRS ?? 200)
const RATE = Number(process.env.RATE ?? 6000)
const SECONDS = Number(process.env.SECONDS ?? 10)
const WARMUP = Number(process.env.WARMUP ?? 2)
const ROUNDS = Number(process.env.ROUNDS ?? 2)
/** With BASELINE: the offered rates, ascending, and the delivery p99 a turn must stay under. */
const RATES = (process.env.RATES ?? String(RATE)).split(',').map(Number)
const P99_MS = Number(process.env.P99_MS ?? 100)
const TEXT = 'The quick brown fox jumps over the lazy dog, again and again.'

const percentile = (values: number[], p: number) => {
  if (values.length === 0) return Number.NaN
  const sorted = Float64Array.from(values).sort()
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number
}
const round1 = (value: number) => Math.round(value * 10) / 10

interface Peer { socket: WebSocket, userId: number, recipientId: number }

interface Sample {
  sent: number
  acked: number
  delivered: number
  stored: number
  refused: number
  socketErrors: number
  duplicated: number
  deliveries: number
  seconds: number
  ackLatency: number[]
  deliveryLatency: number[]
}

/** Every round of one configuration, added up. */
function summarize(processes: number, samples: Sample[]) {
  const sum = (pick: (sample: Sample) => number) => samples.reduce((total, sample) => total + pick(sample), 0)
  const ack = samples.flatMap((sample) => sample.ackLatency)
  const delivery = samples.flatMap((sample) => sample.deliveryLatency)
  const sent = sum((sample) => sample.sent)
  return {
    processes,
    sent,
    acked: sum((sample) => sample.acked),
    delivered: sum((sample) => sample.delivered),
    stored: sum((sample) => sample.stored),
    refused: sum((sample) => sample.refused),
    socketErrors: sum((sample) => sample.socketErrors),
    messagesPerSecond: Math.round(sum((sample) => sample.deliveries) / sum((sample) => sample.seconds)),
    ackP50: round1(percentile(ack, 50)),
    ackP99: round1(percentile(ack, 99)),
    deliveryP50: round1(percentile(delivery, 50)),
    deliveryP99: round1(percentile(delivery, 99)),
    lost: sent - sum((sample) => sample.delivered),
    duplicated: sum((sample) => sample.duplicated),
  }
}
type Figures = ReturnType<typeof summarize>

function report(label: string, figures: Figures) {
  const verdict = (ok: boolean) => (ok ? 'ok' : 'MISSED')
  console.log(`\n--- ${label} ---`)
  console.log(`sent ${figures.sent}, acked ${figures.acked}, delivered ${figures.delivered}, stored ${figures.stored}, refused ${figures.refused}, socket errors ${figures.socketErrors}`)
  console.log(`stored-and-delivered: ${figures.messagesPerSecond} messages/s (target >= 5000: ${verdict(figures.messagesPerSecond >= 5000)})`)
  console.log(`ack latency:      p50 ${figures.ackP50} ms, p99 ${figures.ackP99} ms`)
  console.log(`delivery latency: p50 ${figures.deliveryP50} ms, p99 ${figures.deliveryP99} ms (target p99 < 50 ms: ${verdict(figures.deliveryP99 < 50)})`)
  console.log(`lost ${figures.lost}, duplicated ${figures.duplicated} (target 0: ${verdict(figures.lost === 0 && figures.duplicated === 0 && figures.stored === figures.sent)})`)
}

/** One run against `bases` (the users of each pair on different ones when there are several). */
async function measure(label: string, bases: string[], ids: number[], sql: postgres.Sql, seconds: number, rate = RATE): Promise<Sample> {
  await sql`truncate messages`
  // Each turn starts from the same state: no inbox rows either, where the checkout has an inbox.
  const [inbox] = await sql<Array<{ exists: boolean }>>`select to_regclass('conversations') is not null as exists`
  if (inbox?.exists) await sql`truncate conversations`
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

  const peers: Peer[] = []
  for (let start = 0; start < ids.length; start += 100) {
    peers.push(...await Promise.all(ids.slice(start, start + 100).map((userId, offset) => new Promise<Peer>((resolve, reject) => {
      const index = start + offset
      const recipientId = ids[index % 2 === 0 ? index + 1 : index - 1] as number
      const base = (bases[index % bases.length] as string).replace('http', 'ws')
      const socket = new WebSocket(`${base}/chat`, { headers: { authorization: `Bearer ${tokenFor(userId)}` } })
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
        } else if (frame.type === 'error') {
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
  const loadBefore = loadavg()[0]?.toFixed(2)
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
      send(Math.floor(Math.min(elapsed, seconds) * rate) - (sent - already))
      if (elapsed >= seconds) {
        clearInterval(timer)
        done()
      }
    }, 2)
  })

  await run(WARMUP)
  measuring = true
  const measuredFrom = performance.now()
  await run(seconds)
  // Deliveries still on their way when sending stops count too, up to a bound.
  const deadline = performance.now() + 10_000
  while ((delivered.size < sent || acked.size < sent) && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20))
  const measuredSeconds = (performance.now() - measuredFrom) / 1000
  measuring = false

  const [stored] = await sql<Array<{ count: number }>>`select count(*)::int as count from messages`
  await Promise.all(peers.map(({ socket }) => new Promise((closed) => {
    socket.once('close', closed)
    socket.close()
  })))

  const sample: Sample = {
    sent, acked: acked.size, delivered: delivered.size, stored: stored?.count ?? 0, refused: refusals, socketErrors,
    duplicated: duplicates, deliveries: measuredDeliveries, seconds: measuredSeconds, ackLatency, deliveryLatency,
  }
  console.log(`${label.padEnd(30)} ${String(Math.round(measuredDeliveries / measuredSeconds)).padStart(6)} msg/s, lost ${sent - delivered.size}, delivery p50 ${round1(percentile(deliveryLatency, 50))} p99 ${round1(percentile(deliveryLatency, 99))} ms, load average ${loadBefore} -> ${loadavg()[0]?.toFixed(2)}`)
  return sample
}

/** REDIS_URL if given, else a redis-server of the run's own (stopped at the end). */
async function redisForRun() {
  if (process.env.REDIS_URL) return { url: process.env.REDIS_URL, stop: async () => {} }
  if (spawnSync('redis-server', ['--version']).error) return { url: 'redis://127.0.0.1:6379', stop: async () => {} }
  const port = await freePort()
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' })
  await new Promise((resolve) => setTimeout(resolve, 300))
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      child.kill('SIGTERM')
      await once(child, 'exit')
    },
  }
}

/** 2 * PAIRS users, each pair following each other, each user with a session; the ids in order. */
async function seedPairs(sql: postgres.Sql) {
  const users = await sql<Array<{ id: string }>>`insert into users (username, password_hash)
    select 'chat' || g, 'not-a-hash' from generate_series(1, ${2 * PAIRS}) g returning id`
  const ids = users.map((user) => Number(user.id)).sort((a, b) => a - b)
  await sql`insert into follows (follower_id, followee_id)
    select a, b from unnest(${sql.array(ids)}::bigint[]) with ordinality as u(a, i)
    cross join lateral (select case when i % 2 = 1 then a + 1 else a - 1 end as b) pair`
  await seedSessions(sql)
  await sql`analyze`
  return ids
}

/** Against the floor and with two processes: the default. */
async function againstFloor() {
  const database = await freshDatabase('bench_chat')
  const redis = await redisForRun()
  const sql = postgres(database.url, { max: 1, onnotice: () => {} })
  const running: Service[] = []
  const stopAll = async () => {
    await Promise.all(running.splice(0).map((service) => service.stop()))
  }
  try {
    // The first start applies the migrations.
    // PROFILE=1: CPU profiles of the one-process service and of the floor, in bench/profiles/.
    const profile = process.env.PROFILE ? ['--cpu-prof', '--cpu-prof-dir=bench/profiles'] : []
    running.push(await startService({ DATABASE_URL: database.url }, 'src/server.ts', profile))
    const ids = await seedPairs(sql)

    running.push(await startService({ DATABASE_URL: database.url }, 'bench/floor/chat.ts', profile))
    running.push(...await Promise.all([1, 2].map(() => startService({ DATABASE_URL: database.url, REDIS_URL: redis.url }))))
    const [service, floorService, first, second] = running as [Service, Service, Service, Service]
    const configurations = [
      { label: 'service x1', bases: [service.base], samples: [] as Sample[] },
      { label: 'floor x1', bases: [floorService.base], samples: [] as Sample[] },
      { label: 'service x2', bases: [first.base, second.base], samples: [] as Sample[] },
    ]
    // Every process is up from the start and they take turns, round after round, so that the
    // machine's other load weighs on each alike; an idle process costs the others nothing.
    console.log(`load average: ${loadavg().map((load) => load.toFixed(2)).join(' ')} (the numbers below are only as quiet as this machine)`)
    console.log(`${2 * PAIRS} sockets (${PAIRS} mutual pairs; with two processes the users of a pair are on different ones); ` +
      `${RATE} messages/s offered; ${ROUNDS} rounds of ${WARMUP} s warm-up + ${SECONDS / ROUNDS} s each`)
    // A first turn each, not counted: fresh processes compile their hot paths and fill their caches.
    for (const configuration of configurations) await measure(`${configuration.label} (warm-up, not counted)`, configuration.bases, ids, sql, WARMUP)
    for (let round = 1; round <= ROUNDS; round++) {
      for (const configuration of configurations) {
        configuration.samples.push(await measure(configuration.label, configuration.bases, ids, sql, SECONDS / ROUNDS))
      }
    }
    await stopAll()
    const [one, floor, two] = configurations.map(({ bases, samples }) => summarize(bases.length, samples)) as [Figures, Figures, Figures]
    report('service, one process', one)
    report('floor (node:http + ws + postgres-js), one process', floor)
    report(`service, two processes behind Redis (${redis.url})`, two)

    const serviceVsFloor = ratio(one.messagesPerSecond, floor.messagesPerSecond)
    const twoVsOne = ratio(two.messagesPerSecond, one.messagesPerSecond)
    console.log('\n--- summary ---')
    console.log(`offered ${RATE} messages/s; ${PAIRS} pairs; ${SECONDS} s measured`)
    for (const [label, figures] of [['service x1', one], ['floor x1', floor], ['service x2', two]] as const) {
      console.log(`${label.padEnd(30)} ${String(figures.messagesPerSecond).padStart(6)} msg/s  ack p99 ${figures.ackP99} ms  delivery p99 ${figures.deliveryP99} ms  lost ${figures.lost}  duplicated ${figures.duplicated}`)
    }
    console.log(`service / floor: ${serviceVsFloor} (target >= 0.8 at equal p99: delivery p99 ${one.deliveryP99} vs ${floor.deliveryP99} ms)`)
    console.log(`two processes / one: ${twoVsOne} (on one machine the two processes share its cores with PostgreSQL, Redis and the load generator)`)
    console.log(JSON.stringify({
      scenario: 'chat', offeredRate: RATE, pairs: PAIRS, seconds: SECONDS,
      service: one, floor, twoProcesses: two, serviceVsFloor, twoVsOne,
    }))
  } finally {
    await sql.end()
    await stopAll()
    await redis.stop()
    await database.drop()
  }
}

/** A rate is carried when, over its turns together, nothing is lost or duplicated, every message is stored, and delivery p99 is under P99_MS. */
const carries = (figures: Figures) => figures.lost === 0 && figures.duplicated === 0 && figures.stored === figures.sent &&
  figures.socketErrors === 0 && figures.deliveryP99 < P99_MS

/**
 * BASELINE=<another checkout>: this checkout's service against that one's, one process each, each
 * on a database its own server migrated, taking turns at each offered rate of RATES (ascending)
 * for ROUNDS rounds. A configuration carries a rate when its turns at it, taken together, lose
 * nothing (0 lost, 0 duplicated, all stored) and keep delivery p99 under P99_MS; the carried rate is the delivered msg/s
 * at the highest rate it carried. The ladder stops once both have failed at two rates in a row.
 */
async function againstBaseline(baseline: string) {
  const checkouts = [{ label: 'this', dir: undefined as string | undefined }, { label: 'baseline', dir: baseline }]
  const sides: Array<{ label: string, commit: string, database: Awaited<ReturnType<typeof freshDatabase>>, sql: postgres.Sql, service?: Service, ids: number[] }> = []
  try {
    for (const { label, dir } of checkouts) {
      const database = await freshDatabase('bench_chat')
      const sql = postgres(database.url, { max: 1, onnotice: () => {} })
      const side: (typeof sides)[number] = { label, commit: commitOf(dir), database, sql, ids: [] }
      sides.push(side)
      side.service = await startService({ DATABASE_URL: database.url }, 'src/server.ts', [], dir)
      side.ids = await seedPairs(sql)
    }
    for (const side of sides) console.log(`${side.label.padEnd(9)} ${side.commit}`)
    console.log(`load average: ${loadavg().map((load) => load.toFixed(2)).join(' ')}; ${2 * PAIRS} sockets (${PAIRS} mutual pairs), one process each; ` +
      `rates ${RATES.join(', ')} msg/s offered; ${ROUNDS} turns each per rate of ${WARMUP} s warm-up + ${SECONDS / ROUNDS} s; pass: 0 lost, p99 < ${P99_MS} ms`)
    for (const side of sides) await measure(`${side.label} (warm-up, not counted)`, [side.service!.base], side.ids, side.sql, WARMUP, RATES[0])
    const ladder: Array<{ rate: number } & Record<string, { passed: boolean, messagesPerSecond: number, deliveryP99: number, lost: number, loads: number[] }>> = []
    const carried: Record<string, { rate: number, messagesPerSecond: number }> = Object.fromEntries(sides.map(({ label }) => [label, { rate: 0, messagesPerSecond: 0 }]))
    for (const rate of RATES) {
      const samples: Record<string, Sample[]> = Object.fromEntries(sides.map(({ label }) => [label, []]))
      const loads: Record<string, number[]> = Object.fromEntries(sides.map(({ label }) => [label, []]))
      for (let round = 0; round < ROUNDS; round++) {
        // A, B, then B, A: neither always goes first.
        for (const side of round % 2 === 0 ? sides : [...sides].reverse()) {
          loads[side.label]!.push(load1())
          samples[side.label]!.push(await measure(`${side.label} @ ${rate}`, [side.service!.base], side.ids, side.sql, SECONDS / ROUNDS, rate))
        }
      }
      const step = { rate } as (typeof ladder)[number]
      for (const { label } of sides) {
        const figures = summarize(1, samples[label]!)
        const ok = carries(figures)
        step[label] = { passed: ok, messagesPerSecond: figures.messagesPerSecond, deliveryP99: figures.deliveryP99, lost: figures.lost, loads: loads[label]! }
        if (ok) carried[label] = { rate, messagesPerSecond: figures.messagesPerSecond }
      }
      ladder.push(step)
      // Noise can fail one rate and pass the next: stop after two in a row that both failed.
      if (ladder.slice(-2).length === 2 && ladder.slice(-2).every((done) => sides.every(({ label }) => !done[label]!.passed))) break
    }
    console.log('\n--- ladder ---')
    for (const step of ladder) {
      console.log(`${String(step.rate).padStart(6)} offered  ` + sides.map(({ label }) => {
        const figures = step[label]!
        return `${label}: ${figures.messagesPerSecond} msg/s p99 ${figures.deliveryP99} ms lost ${figures.lost} ${figures.passed ? 'pass' : 'FAIL'} (load ${figures.loads.join('/')})`
      }).join('   '))
    }
    const carriedRatio = ratio(carried.this!.messagesPerSecond, carried.baseline!.messagesPerSecond)
    console.log(`carried: this ${carried.this!.messagesPerSecond} msg/s (at ${carried.this!.rate} offered), baseline ${carried.baseline!.messagesPerSecond} msg/s (at ${carried.baseline!.rate}): this / baseline ${carriedRatio}`)
    console.log(JSON.stringify({ scenario: 'chat', mode: 'baseline', commits: Object.fromEntries(sides.map(({ label, commit }) => [label, commit])), pairs: PAIRS, p99TargetMs: P99_MS, ladder, carried, carriedRatio }))
  } finally {
    for (const side of sides) {
      await side.service?.stop()
      await side.sql.end()
      await side.database.drop()
    }
  }
}

if (BASELINE) await againstBaseline(BASELINE)
else await againstFloor()
