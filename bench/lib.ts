import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { createServer } from 'node:net'
import { loadavg } from 'node:os'
import { resolve } from 'node:path'
import autocannon from 'autocannon'
import postgres from 'postgres'

export const SERVER_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
export const JWT_SECRET = 'bench-secret-bench-secret-bench-secret'

/** A fresh database on the server, dropped by the returned function. */
export async function freshDatabase(prefix = 'bench') {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`
  const admin = postgres(SERVER_URL, { max: 1, onnotice: () => {} })
  await admin.unsafe(`create database ${name}`)
  await admin.end()
  const url = new URL(SERVER_URL)
  url.pathname = `/${name}`
  return {
    url: url.href,
    async drop() {
      const admin = postgres(SERVER_URL, { max: 1, onnotice: () => {} })
      await admin.unsafe(`drop database if exists ${name} with (force)`)
      await admin.end()
    },
  }
}

export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as { port: number }
  server.close()
  return port
}

/**
 * BASELINE=<directory of another checkout> (a git worktree of an older commit, `npm ci` done
 * there): the benches that compare commits (chat, followers) start that checkout's server as
 * the baseline, beside this checkout's, in turns on databases each migrated by its own server.
 *   git worktree add /work/wt/bench-old <commit> && (cd /work/wt/bench-old && npm ci && npm run build)
 *   BASELINE=/work/wt/bench-old npx tsx bench/followers.ts
 */
export const BASELINE = process.env.BASELINE ? resolve(process.env.BASELINE) : undefined
/** CHECKOUT=<directory>: the checkout whose server is measured as "this" (default: the current directory). */
export const CHECKOUT = process.env.CHECKOUT ? resolve(process.env.CHECKOUT) : undefined

/** The commit a checkout is at, with its subject, for the report. */
export function commitOf(checkout = CHECKOUT ?? process.cwd()): string {
  try {
    return execFileSync('git', ['log', '-1', '--format=%h %s'], { cwd: checkout, encoding: 'utf8' }).trim().slice(0, 100)
  } catch {
    return 'unknown commit'
  }
}

/** The 1-minute load average, as `uptime` shows it. */
export const load1 = () => Number(loadavg()[0]?.toFixed(2))

export interface Service {
  base: string
  process: ChildProcess
  stop(): Promise<void>
}

/**
 * The real server (compiled on the fly by tsx) in its own process, so the load generator does
 * not share its CPU time; from `checkout` (another commit's work tree, see BASELINE) when given,
 * with that checkout's own dependencies.
 */
export async function startService(env: Record<string, string>, entry = 'src/server.ts', nodeArgs: string[] = [], checkout = CHECKOUT): Promise<Service> {
  const port = await freePort()
  const child = spawn(process.execPath, [...nodeArgs, ...(entry.endsWith('.ts') ? ['--import', 'tsx'] : []), entry], {
    // The floor and other bench entries are this checkout's own.
    cwd: entry.startsWith('bench/') ? process.cwd() : checkout ?? process.cwd(),
    env: {
      ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'warn', JWT_SECRET, HOST: '127.0.0.1', PORT: String(port),
      RATE_LIMIT_LOGIN: '0', RATE_LIMIT_REGISTER: '0', CHAT_RATE_LIMIT: '0', ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  const base = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 60_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`)
    if (Date.now() > deadline) throw new Error('server did not become ready within 60 s')
    const ready = await fetch(`${base}/ready`).then((response) => response.ok, () => false)
    if (ready) break
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  return {
    base,
    process: child,
    async stop() {
      if (child.exitCode !== null) return
      child.kill('SIGTERM')
      await once(child, 'exit')
    },
  }
}

export async function api<T = unknown>(base: string, method: string, path: string, body?: unknown, token?: string): Promise<T> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { ...(body !== undefined && { 'content-type': 'application/json' }), ...(token && { authorization: `Bearer ${token}` }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`)
  return response.json() as Promise<T>
}

export interface LoadResult {
  requestsPerSecond: number
  p50: number
  p99: number
  errors: number
  non2xx: number
}

/** HTTP load with autocannon for a fixed time; latencies in ms. */
export async function load(options: autocannon.Options): Promise<LoadResult> {
  const result = await autocannon({ connections: 10, duration: 5, ...options })
  return {
    requestsPerSecond: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  }
}

export const ratio = (a: number, b: number) => (b === 0 ? Number.NaN : Math.round((a / b) * 100) / 100)
