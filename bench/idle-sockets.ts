/**
 * Memory per idle authenticated chat socket: the server's resident set size with SOCKETS
 * sockets open (one user each), minus what it was with one open, divided by SOCKETS; beside it the
 * same difference of the server's heap after a full GC (bench/heap-probe.mjs). RSS 3 s after a
 * burst of openings still holds the burst's uncollected garbage (heap used before that GC is
 * two to three times what survives it, and RSS falls below the one-socket figure once V8's
 * memory reducer runs, 30 to 45 s later), so it moves with when the last major GC ran; the
 * live heap is what the sockets hold, to a few bytes from run to run.
 *   npx tsx bench/idle-sockets.ts   (DATABASE_URL: the server to create a scratch database on)
 *   SETTLE_MS=60000 npx tsx bench/idle-sockets.ts: both samples after a minute of idling
 *   BASELINE=/work/wt/bench-old ROUNDS=2 npx tsx bench/idle-sockets.ts: this checkout and that one
 *     in turns (a fresh server and database each time), the ratio of their figures
 * The clients live in this process and the server in its own, so each needs SOCKETS file
 * descriptors; `ulimit -n` must allow that (it is raised to the hard limit here when it can be).
 */
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import postgres from 'postgres'
import WebSocket from 'ws'
import { BASELINE, commitOf, freshDatabase, load1, ratio, startService } from './lib.js'
import { seedSessions, tokenFor } from './seed.js'

const SOCKETS = Number(process.env.SOCKETS ?? 10_000)
const ROUNDS = Number(process.env.ROUNDS ?? 1)
const TARGET_BYTES = 8 * 1024

const rssOf = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) * 1024
// SETTLE_MS=60000 waits out V8's memory reducer before both samples, so RSS holds what the
// sockets keep rather than the garbage of their openings.
const SETTLE_MS = Number(process.env.SETTLE_MS ?? 3000)
const settle = () => new Promise((resolve) => setTimeout(resolve, SETTLE_MS))
const probe = fileURLToPath(new URL('./heap-probe.mjs', import.meta.url))

/** The server's heap after a full collection (bench/heap-probe.mjs): what it holds alive. */
async function heapAfterGc(pid: number, file: string): Promise<number> {
  rmSync(file, { force: true })
  process.kill(pid, 'SIGWINCH')
  for (let waited = 0; waited < 10_000 && !existsSync(file); waited += 50) await new Promise((resolve) => setTimeout(resolve, 50))
  await new Promise((resolve) => setTimeout(resolve, 50))
  return (JSON.parse(readFileSync(file, 'utf8')) as NodeJS.MemoryUsage).heapUsed
}

/** Bytes of server RSS per idle socket, on a fresh database and server of the checkout. */
async function measure(checkout?: string) {
  const database = await freshDatabase('bench_idle')
  const probeFile = join(tmpdir(), `idle-heap-${process.pid}-${Date.now()}.json`)
  const service = await startService({ DATABASE_URL: database.url, HEAP_PROBE_FILE: probeFile }, 'src/server.ts', ['--expose-gc', '--import', probe], checkout)
  const pid = service.process.pid as number
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
    const before = rssOf(pid)
    const heapBefore = await heapAfterGc(pid, probeFile)
    for (let start = 1; start < ids.length; start += 200) {
      sockets.push(...await Promise.all(ids.slice(start, start + 200).map(open)))
    }
    await settle()
    const after = rssOf(pid)
    const heapAfter = await heapAfterGc(pid, probeFile)
    const perSocket = (after - before) / (sockets.length - 1)
    const heapPerSocket = (heapAfter - heapBefore) / (sockets.length - 1)
    console.log(`${checkout ? 'baseline' : 'this'}: ${sockets.length} idle authenticated sockets: server RSS ${(before / 2 ** 20).toFixed(1)} MiB -> ${(after / 2 ** 20).toFixed(1)} MiB, ` +
      `${(perSocket / 1024).toFixed(2)} KiB per socket; live heap (after a full GC) ${(heapPerSocket / 1024).toFixed(3)} KiB per socket (load average ${load})`)
    return {
      rssBeforeMiB: Math.round(before / 2 ** 20 * 10) / 10, rssAfterMiB: Math.round(after / 2 ** 20 * 10) / 10, kibPerSocket: Math.round(perSocket / 1024 * 100) / 100,
      liveHeapKibPerSocket: Math.round(heapPerSocket / 1024 * 1000) / 1000, load,
    }
  } finally {
    for (const socket of sockets) socket.terminate()
    await sql.end()
    await service.stop()
    await database.drop()
    rmSync(probeFile, { force: true })
  }
}

const runs: Record<'this' | 'baseline', Array<Awaited<ReturnType<typeof measure>>>> = { this: [], baseline: [] }
for (let round = 0; round < ROUNDS; round++) {
  // A, B, then B, A: neither always goes first.
  const order: Array<'this' | 'baseline'> = !BASELINE ? ['this'] : round % 2 === 0 ? ['this', 'baseline'] : ['baseline', 'this']
  for (const side of order) runs[side].push(await measure(side === 'baseline' ? BASELINE : undefined))
}
type Run = Awaited<ReturnType<typeof measure>>
const mean = (list: Run[], of: (run: Run) => number = (run) => run.kibPerSocket) => Math.round(list.reduce((sum, run) => sum + of(run), 0) / list.length * 1000) / 1000
const live = (run: Run) => run.liveHeapKibPerSocket
const kibPerSocket = mean(runs.this)
const liveHeapKibPerSocket = mean(runs.this, live)
console.log(`this (${commitOf()}): ${kibPerSocket} KiB of RSS per socket over ${ROUNDS} run(s) (target <= ${TARGET_BYTES / 1024} KiB: ${kibPerSocket * 1024 <= TARGET_BYTES ? 'ok' : 'MISSED'}); live heap ${liveHeapKibPerSocket} KiB`)
const baseline = BASELINE ? { commit: commitOf(BASELINE), kibPerSocket: mean(runs.baseline), liveHeapKibPerSocket: mean(runs.baseline, live), runs: runs.baseline } : undefined
if (baseline) {
  console.log(`baseline (${baseline.commit}): ${baseline.kibPerSocket} KiB of RSS per socket, live heap ${baseline.liveHeapKibPerSocket} KiB; ` +
    `this / baseline: RSS ${ratio(kibPerSocket, baseline.kibPerSocket)}, live heap ${ratio(liveHeapKibPerSocket, baseline.liveHeapKibPerSocket)}`)
}
console.log(JSON.stringify({
  scenario: 'idle-sockets', sockets: SOCKETS, commit: commitOf(), runs: runs.this, kibPerSocket, liveHeapKibPerSocket, targetKib: TARGET_BYTES / 1024, met: kibPerSocket * 1024 <= TARGET_BYTES,
  ...(baseline && { baseline, thisVsBaseline: ratio(kibPerSocket, baseline.kibPerSocket), liveHeapThisVsBaseline: ratio(liveHeapKibPerSocket, baseline.liveHeapKibPerSocket) }),
}))
