import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { sql } from 'drizzle-orm'
import postgres from 'postgres'
import { openDatabase, rowsOf } from '../src/db/client.js'
import { childProcessEnv, createTestDatabase, freePort, TEST_SECRET, tempDir } from './helper.js'
import { kill } from './redis-helpers.js'

type Test = { teardown(fn: () => unknown): void }
type Env = Record<string, string | undefined>

interface SpawnOptions {
  /** A command the server runs under, e.g. `unshare -fp --mount-proc --kill-child` to be pid 1 of its own namespace. */
  wrapper?: readonly string[]
}

/**
 * The real entry point, as `npm start` runs it (with tsx), in a process of its own on a free
 * port (or env.PORT), without waiting for it to serve. A variable set to undefined is left out;
 * the test's own DATABASE_URL is never inherited (a server uses PGlite unless told a database).
 */
export async function spawnServer(t: Test, env: Env = {}, { wrapper = [] }: SpawnOptions = {}) {
  const port = await freePort()
  const [command, ...args] = [...wrapper, process.execPath, '--import', 'tsx', 'src/server.ts']
  const child = spawn(command!, args, {
    env: childProcessEnv({
      DATABASE_URL: undefined, NODE_ENV: 'test', LOG_LEVEL: 'info', HOST: '127.0.0.1', PORT: String(port), JWT_SECRET: TEST_SECRET,
      RATE_LIMIT_REGISTER: '0', RATE_LIMIT_LOGIN: '0', CHAT_RATE_LIMIT: '0', ...env,
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  let stderr = ''
  child.stdout.on('data', (chunk) => { output += chunk })
  child.stderr.on('data', (chunk) => {
    output += chunk
    stderr += chunk
  })
  // 'close' rather than 'exit': by then everything the process wrote has been read.
  const exited = once(child, 'close').then(([code, signal]) => ({ code: code as number | null, signal: signal as string | null }))
  t.teardown(() => kill(child))
  const base = `http://127.0.0.1:${env.PORT ?? port}`
  const ws = base.replace('http:', 'ws:')
  return { child, exited, base, ws, chat: `${ws}/chat`, output: () => output, stderr: () => stderr }
}
export type ServerProcess = Awaited<ReturnType<typeof spawnServer>>

/**
 * spawnServer, then until it answers /ready; it fails at once if the process exits instead. A
 * fresh PGlite took over a minute to start on a loaded two-core machine, hence the long wait.
 */
export async function startServer(t: Test, env: Env = {}, options: SpawnOptions = {}): Promise<ServerProcess> {
  const server = await spawnServer(t, env, options)
  const ready = () => fetch(`${server.base}/ready`).then((response) => response.ok, () => false)
  for (const deadline = Date.now() + 180_000; !(await ready());) {
    if (server.child.exitCode !== null) throw new Error(`the server exited: ${server.output()}`)
    if (Date.now() > deadline) throw new Error(`the server on ${server.base} was not ready within 180 s: ${server.output()}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return server
}

/** Call the HTTP API of a server in another process over a real socket. */
export async function call<T = unknown>(server: { base: string }, method: string, path: string, token?: string, body?: unknown) {
  const response = await fetch(`${server.base}${path}`, {
    method,
    headers: { ...(body !== undefined && { 'content-type': 'application/json' }), ...(token && { authorization: `Bearer ${token}` }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await response.text()
  // A 204 has no body.
  return { status: response.status, headers: response.headers, body: (text === '' ? undefined : JSON.parse(text)) as T }
}

let counter = 0
/** A new account on that server, named `<prefix>_<pid>_<n>`. */
export async function registerOn(server: { base: string }, prefix: string) {
  const username = `${prefix}_${process.pid % 10000}_${++counter}`
  const { status, body } = await call<{ user: { id: number }, token: string }>(server, 'POST', '/auth/register', undefined, { username, password: 'password123' })
  if (status !== 201) throw new Error(`register: ${status}`)
  return { id: body.user.id, username, token: body.token, auth: { authorization: `Bearer ${body.token}` } }
}
export type RemoteUser = Awaited<ReturnType<typeof registerOn>>

export async function followOn(server: { base: string }, from: RemoteUser, to: RemoteUser, method: 'PUT' | 'DELETE' = 'PUT') {
  const { status } = await call(server, method, `/users/${to.id}/follow`, from.token)
  if (status !== 200) throw new Error(`follow: ${status}`)
}

export async function befriendOn(server: { base: string }, a: RemoteUser, b: RemoteUser) {
  await followOn(server, a, b)
  await followOn(server, b, a)
}

export interface StoredMessage { id: number, clientMessageId: string | null, messageText: string }

/** A database that outlives server processes: a fresh one on DATABASE_URL, else PGlite files. */
export async function durableDatabase(t: Test): Promise<{ env: Record<string, string>, messages(): Promise<StoredMessage[]> }> {
  if (process.env.DATABASE_URL) {
    const url = await createTestDatabase(t)
    return {
      env: { DATABASE_URL: url },
      async messages(): Promise<StoredMessage[]> {
        const client = postgres(url, { max: 1, onnotice: () => {} })
        const rows = await client<StoredMessage[]>`select id::int as id, client_message_id as "clientMessageId", message_text as "messageText" from messages`
        await client.end()
        return rows
      },
    }
  }
  const dataDir = tempDir(t)
  return {
    env: { DATA_DIR: dataDir },
    async messages(): Promise<StoredMessage[]> {
      const database = await openDatabase({ pgliteDir: join(dataDir, 'pglite') })
      const rows = await rowsOf<StoredMessage>(database.db, sql.raw('select id::int as id, client_message_id as "clientMessageId", message_text as "messageText" from messages'))
      await database.close()
      return rows
    },
  }
}

/** Every process below `pid`, read from /proc while they run. */
export function descendantsOf(pid: number): number[] {
  const parents = new Map<number, number[]>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      // The command may hold spaces and parentheses; the fields after its closing parenthesis do not.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)])
    } catch {}
  }
  const found: number[] = []
  for (const queue = [pid]; queue.length > 0;) {
    for (const child of parents.get(queue.shift()!) ?? []) queue.push(child) && found.push(child)
  }
  return found
}

export const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}
