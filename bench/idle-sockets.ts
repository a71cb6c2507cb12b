/**
 * Memory per idle authenticated chat socket: the server's resident set size with SOCKETS
 * sockets open (one user each), minus what it was with one open, divided by SOCKETS.
 *   npx tsx bench/idle-sockets.ts   (DATABASE_URL: the server to create a scratch database on)
 *   BASELINE=/work/wt/bench-old ROUNDS=2 npx tsx bench/idle-sockets.ts: this checkout and that one
 *     in turns (a fresh server and database each time), the ratio of their figures
 * The clients live in this process and the server in its own, so each needs SOCKETS file
 * descriptors; `ulimit -n` must allow that (it is raised to the hard limit here when it can be).
 */
import { readFileSync } from 'node:fs'
import postgres from 'postgres'
import WebSocket from 'ws'
import { BASELINE, commitOf, freshDatabase, load1, ratio, startService } from './lib.js'
import { seedSessions, tokenFor } from './seed.js'

const SOCKETS = Number(process.env.SOCKETS ?? 10_000)
const ROUNDS = Number(process.env.ROUNDS ?? 1)
const TARGET_BYTES = 8 * 1024

const rssOf = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) * 1024
const settle = () => new Promise((resolve) => setTimeout(resolve, 3000))

/** Bytes of server RSS per idle socket, on a fresh database and server of the checkout. */
async function measure(checkout?: string) {
  const database = await freshDatabase('bench_idle')
  const service = await startService({ DATABASE_URL: database.url }, 'src/server.ts', [], checkout)
  const sql = postgres(database.url, { max: 1, onnotice: () => {} })
  const sockets: WebSocket[] = []
  try {
    const users = await sql<Array<{ id: string }>>`insert into users (username, password_hash)
      select 'idle' || g, 'not-a-hash' from generate_series(1, ${SOCKETS}) g returning id`
    await seedSessions(sql)
    const ids = users.map((user) => Number(user.id))
    const url = `${service.base.replace('http', 'ws')}/chat`
    const open = (userId: number) => new Promise<WebSocket>((resolve, reject) => {
      const socket = new WebSocket(url, { headers: { authorization: `Bearer ${tokenFor(userId)}` } })
      socket.once('open', () => resolve(socket))
      socket.once('error', reject)
    })

    // One socket first, so the code paths are loaded and warm before the baseline.
    sockets.push(await open(ids[0] as number))
    await settle()
    const load = load1()
    const before = rssOf(service.process.pid as number)
    for (let start = 1; start < ids.length; start += 200) {
      sockets.push(...await Promise.all(ids.slice(start, start + 200).map(open)))
    }
    await settle()
    const after = rssOf(service.process.pid as number)
    const perSocket = (after - before) / (sockets.length - 1)
    console.log(`${checkout ? 'baseline' : 'this'}: ${sockets.length} idle authenticated sockets: server RSS ${(before / 2 ** 20).toFixed(1)} MiB -> ${(after / 2 ** 20).toFixed(1)} MiB, ` +
      `${(perSocket / 1024).toFixed(2)} KiB per socket (load average ${load})`)
    return { rssBeforeMiB: Math.round(before / 2 ** 20 * 10) / 10, rssAfterMiB: Math.round(after / 2 ** 20 * 10) / 10, kibPerSocket: Math.round(perSocket / 1024 * 100) / 100, load }
  } finally {
    for (const socket of sockets) socket.terminate()
    await sql.end()
    await service.stop()
    await database.drop()
  }
}

const runs: Record<'this' | 'baseline', Array<Awaited<ReturnType<typeof measure>>>> = { this: [], baseline: [] }
for (let round = 0; round < ROUNDS; round++) {
  // A, B, then B, A: neither always goes first.
  const order: Array<'this' | 'baseline'> = !BASELINE ? ['this'] : round % 2 === 0 ? ['this', 'baseline'] : ['baseline', 'this']
  for (const side of order) runs[side].push(await measure(side === 'baseline' ? BASELINE : undefined))
}
const mean = (list: Array<{ kibPerSocket: number }>) => Math.round(list.reduce((sum, run) => sum + run.kibPerSocket, 0) / list.length * 100) / 100
const kibPerSocket = mean(runs.this)
console.log(`this (${commitOf()}): ${kibPerSocket} KiB per socket over ${ROUNDS} run(s) (target <= ${TARGET_BYTES / 1024} KiB: ${kibPerSocket * 1024 <= TARGET_BYTES ? 'ok' : 'MISSED'})`)
const baseline = BASELINE ? { commit: commitOf(BASELINE), kibPerSocket: mean(runs.baseline), runs: runs.baseline } : undefined
if (baseline) console.log(`baseline (${baseline.commit}): ${baseline.kibPerSocket} KiB per socket; this / baseline ${ratio(kibPerSocket, baseline.kibPerSocket)}`)
console.log(JSON.stringify({
  scenario: 'idle-sockets', sockets: SOCKETS, commit: commitOf(), runs: runs.this, kibPerSocket, targetKib: TARGET_BYTES / 1024, met: kibPerSocket * 1024 <= TARGET_BYTES,
  ...(baseline && { baseline, thisVsBaseline: ratio(kibPerSocket, baseline.kibPerSocket) }),
}))
