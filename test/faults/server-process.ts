import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'
import { sql } from 'drizzle-orm'
import postgres from 'postgres'
import { openDatabase, rowsOf } from '../../src/db/client.js'
import { childProcessEnv, createTestDatabase, freePort, TEST_SECRET, tempDir } from '../helper.js'

type Test = { teardown(fn: () => unknown): void }

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

/** The real entry point, as `npm start` runs it (with tsx), on a port of its own. */
export async function startServer(t: Test, env: Record<string, string>) {
  const port = await freePort()
  const { DATABASE_URL: _ignored, ...inherited } = childProcessEnv()
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: {
      ...inherited, NODE_ENV: 'development', LOG_LEVEL: 'warn', HOST: '127.0.0.1', PORT: String(port), JWT_SECRET: TEST_SECRET,
      RATE_LIMIT_REGISTER: '0', RATE_LIMIT_LOGIN: '0', CHAT_RATE_LIMIT: '0', ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stderr.on('data', (chunk) => { output += chunk })
  child.stdout.on('data', (chunk) => { output += chunk })
  const exited = once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as string | null }))
  t.teardown(() => child.kill('SIGKILL'))
  const base = `http://127.0.0.1:${port}`
  for (let i = 0; ; i++) {
    if (await fetch(`${base}/health`).then((response) => response.ok, () => false)) break
    if (i > 300 || child.exitCode !== null) throw new Error(`the server did not come up: ${output}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return { child, exited, base, ws: base.replace('http:', 'ws:'), output: () => output }
}

export async function registerOver(base: string, username: string) {
  const response = await fetch(`${base}/auth/register`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'password123' }),
  })
  if (response.status !== 201) throw new Error(`register: ${response.status} ${await response.text()}`)
  const { user, token } = await response.json() as { user: { id: number }, token: string }
  return { id: user.id, token, auth: { authorization: `Bearer ${token}` } }
}

export async function befriendOver(base: string, a: { id: number, auth: Record<string, string> }, b: { id: number, auth: Record<string, string> }) {
  for (const [from, to] of [[a, b], [b, a]] as const) {
    const response = await fetch(`${base}/users/${to.id}/follow`, { method: 'PUT', headers: from.auth })
    if (response.status !== 200) throw new Error(`follow: ${response.status}`)
  }
}
