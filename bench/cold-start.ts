/**
 * From `npm start` to the first 200 from /ready: on an existing PGlite directory and on
 * PostgreSQL with the migrations already applied. `npm start` compiles only when src/ changed
 * (here dist/ is current, so it measures npm's own overhead); the compiled server alone
 * (node dist/server.js) is shown beside it.
 *   npx tsx bench/cold-start.ts
 */
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freshDatabase, JWT_SECRET } from './lib.js'

const RUNS = Number(process.env.RUNS ?? 3)
let port = 3900 + Math.floor(Math.random() * 90)

async function timeToReady(command: string[], env: Record<string, string>): Promise<number> {
  const started = performance.now()
  const child = spawn(command[0]!, command.slice(1), {
    env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'warn', JWT_SECRET, HOST: '127.0.0.1', PORT: String(++port), ...env },
    stdio: 'ignore',
    // npm start execs the server, so npm passes SIGTERM on; the whole group is signalled all the
    // same, so a server left behind cannot hold the PGlite directory the next start needs.
    detached: true,
  })
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${command.join(' ')} exited with ${child.exitCode}`)
      if (performance.now() - started > 120_000) throw new Error('not ready within 120 s')
      if (await fetch(`http://127.0.0.1:${port}/ready`).then((response) => response.ok, () => false)) {
        return Math.round(performance.now() - started)
      }
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  } finally {
    const exited = child.exitCode === null ? once(child, 'exit') : undefined
    process.kill(-child.pid!, 'SIGTERM')
    await exited
    // npm may exit before the server has closed (and released the PGlite directory).
    const stopBy = performance.now() + 15_000
    while (performance.now() < stopBy && await fetch(`http://127.0.0.1:${port}/health`).then(() => true, () => false)) {
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number

async function measure(env: Record<string, string>) {
  const npm: number[] = []
  const node: number[] = []
  for (let i = 0; i < RUNS; i++) {
    npm.push(await timeToReady(['npm', 'start', '--silent'], env))
    node.push(await timeToReady([process.execPath, 'dist/server.js'], env))
  }
  return { npmStartMs: median(npm), nodeDistMs: median(node) }
}

const dataDir = mkdtempSync(join(tmpdir(), 'bench-cold-'))
const database = await freshDatabase('bench_cold')
try {
  // First starts create the PGlite directory and apply the migrations; they are not measured.
  await timeToReady(['npm', 'start', '--silent'], { DATA_DIR: dataDir })
  await timeToReady([process.execPath, 'dist/server.js'], { DATABASE_URL: database.url })
  const results = {
    'PGlite (existing DATA_DIR)': await measure({ DATA_DIR: dataDir }),
    'PostgreSQL (migrated)': await measure({ DATABASE_URL: database.url }),
  }
  console.log(`cold-start: median of ${RUNS} starts to the first 200 from /ready`)
  console.table(results)
  console.log(JSON.stringify({
    scenario: 'cold-start',
    pgliteNpmStartMs: results['PGlite (existing DATA_DIR)'].npmStartMs,
    pgliteNodeMs: results['PGlite (existing DATA_DIR)'].nodeDistMs,
    postgresNpmStartMs: results['PostgreSQL (migrated)'].npmStartMs,
    postgresNodeMs: results['PostgreSQL (migrated)'].nodeDistMs,
  }))
} finally {
  rmSync(dataDir, { recursive: true, force: true })
  await database.drop()
}
