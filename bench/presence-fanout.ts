/**
 * Presence fan-out: the time from a user's socket opening to the last of their FOLLOWERS mutual
 * followers' sockets receiving the online frame, and from its closing (plus the grace,
 * PRESENCE_GRACE) to the last offline frame. The baseline, in the same run and in turns, is a
 * user with one mutual follower: the ratio is what the 1,000 cost beyond one change's fixed cost.
 * Every follower has a socket open throughout; the grace is subtracted from the offline figures.
 *   npx tsx bench/presence-fanout.ts   (DATABASE_URL: the server to create a scratch database on)
 *   FOLLOWERS=1000 ROUNDS=5 GRACE_MS=500 npx tsx bench/presence-fanout.ts
 */
import postgres from 'postgres'
import WebSocket from 'ws'
import { commitOf, freshDatabase, load1, ratio, startService } from './lib.js'
import { seedSessions, tokenFor } from './seed.js'

const FOLLOWERS = Number(process.env.FOLLOWERS ?? 1000)
const ROUNDS = Number(process.env.ROUNDS ?? 5)
const GRACE_MS = Number(process.env.GRACE_MS ?? 500)
const TIMEOUT_MS = 30_000

interface PresenceFrame { type: string, userId?: number, online?: boolean }
type Waiter = { userId: number, online: boolean, left: number, done(at: number): void }

const median = (values: number[]) => Float64Array.from(values).sort()[Math.floor(values.length / 2)] as number
const round1 = (value: number) => Math.round(value * 10) / 10

const database = await freshDatabase('bench_presence')
const service = await startService({ DATABASE_URL: database.url, PRESENCE_GRACE: `${GRACE_MS}ms` })
const sql = postgres(database.url, { max: 1, onnotice: () => {} })
const sockets: WebSocket[] = []
try {
  // The star, the lone user, then the star's followers; the last follower also follows the lone user back and forth.
  const users = await sql<Array<{ id: string }>>`insert into users (username, password_hash)
    select 'presence' || g, 'not-a-hash' from generate_series(1, ${FOLLOWERS + 2}) g returning id`
  const [star, lone, ...fans] = users.map((user) => Number(user.id)).sort((a, b) => a - b) as [number, number, ...number[]]
  const friendOfLone = fans.at(-1) as number
  await sql`insert into follows (follower_id, followee_id)
    select f, ${star} from unnest(${sql.array(fans)}::bigint[]) f
    union all select ${star}, f from unnest(${sql.array(fans)}::bigint[]) f
    union all values (${lone}::bigint, ${friendOfLone}::bigint), (${friendOfLone}::bigint, ${lone}::bigint)`
  await seedSessions(sql)
  await sql`analyze`

  // Frames awaited: for a user going on- or offline, how many sockets have yet to hear it.
  const waiting = new Set<Waiter>()
  const url = `${service.base.replace('http', 'ws')}/chat`
  const open = (userId: number) => new Promise<WebSocket>((resolve, reject) => {
    const socket = new WebSocket(url, { headers: { authorization: `Bearer ${tokenFor(userId)}` } })
    socket.on('message', (data) => {
      const at = performance.now()
      const frame = JSON.parse(data.toString()) as PresenceFrame
      if (frame.type !== 'presence') return
      for (const waiter of waiting) {
        if (waiter.userId === frame.userId && waiter.online === frame.online && --waiter.left === 0) waiter.done(at)
      }
    })
    socket.once('open', () => resolve(socket))
    socket.once('error', reject)
  })
  const heard = (userId: number, online: boolean, count: number) => {
    let waiter!: Waiter
    const arrived = new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${waiter.left} of ${count} ${online ? 'online' : 'offline'} frames of user ${userId} missing after ${TIMEOUT_MS} ms`)), TIMEOUT_MS)
      waiter = { userId, online, left: count, done: (at) => { clearTimeout(timer); resolve(at) } }
    }).finally(() => waiting.delete(waiter))
    waiting.add(waiter)
    return arrived
  }
  const settle = () => new Promise((resolve) => setTimeout(resolve, GRACE_MS + 500))

  for (let start = 0; start < fans.length; start += 200) sockets.push(...await Promise.all(fans.slice(start, start + 200).map(open)))
  await settle()

  /** One change each way for the user; times in ms, the grace taken out of the offline one. */
  async function flip(userId: number, audience: number) {
    const online = heard(userId, true, audience)
    const openedAt = performance.now()
    const socket = await open(userId)
    const onlineMs = (await online) - openedAt
    const offline = heard(userId, false, audience)
    const closedAt = performance.now()
    socket.close()
    const offlineMs = (await offline) - closedAt - GRACE_MS
    await settle()
    return { onlineMs, offlineMs }
  }

  await flip(star, fans.length)
  await flip(lone, 1)
  const results: Record<'many' | 'one', Array<{ onlineMs: number, offlineMs: number, load: number }>> = { many: [], one: [] }
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, userId, audience] of (round % 2 === 0 ? [['many', star, fans.length], ['one', lone, 1]] : [['one', lone, 1], ['many', star, fans.length]]) as Array<['many' | 'one', number, number]>) {
      const load = load1()
      const times = await flip(userId, audience)
      results[name].push({ ...times, load })
      console.log(`${name === 'many' ? `${fans.length} mutual followers` : '1 mutual follower'}: online ${round1(times.onlineMs)} ms, offline ${round1(times.offlineMs)} ms after the grace (load average ${load})`)
    }
  }
  const figures = (name: 'many' | 'one') => ({
    onlineMs: round1(median(results[name].map((r) => r.onlineMs))),
    offlineMs: round1(median(results[name].map((r) => r.offlineMs))),
    onlineMaxMs: round1(Math.max(...results[name].map((r) => r.onlineMs))),
    offlineMaxMs: round1(Math.max(...results[name].map((r) => r.offlineMs))),
    loads: results[name].map((r) => r.load),
  })
  const many = figures('many')
  const one = figures('one')
  console.log(`\npresence-fanout (${commitOf()}): ${fans.length} followers' sockets open, grace ${GRACE_MS} ms, ${ROUNDS} rounds in turns, medians`)
  console.table({ [`${fans.length} mutual followers`]: many, '1 mutual follower': one })
  const onlineRatio = ratio(many.onlineMs, one.onlineMs)
  const offlineRatio = ratio(many.offlineMs, one.offlineMs)
  console.log(`to the last of ${fans.length} / to the one: online ${onlineRatio}, offline ${offlineRatio}`)
  console.log(JSON.stringify({ scenario: 'presence-fanout', followers: fans.length, graceMs: GRACE_MS, many, one, onlineRatio, offlineRatio }))
} finally {
  for (const socket of sockets) socket.terminate()
  await sql.end()
  await service.stop()
  await database.drop()
}
