import t from 'tap'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { childProcessEnv, freePort, tempDir } from './helper.js'

/** The real entry point, as `npm start` runs it, on embedded PGlite. */
function startServer(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: childProcessEnv({ DATABASE_URL: undefined, NODE_ENV: 'development', LOG_LEVEL: 'warn', HOST: '127.0.0.1', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr.on('data', (chunk) => { stderr += chunk })
  child.stdout.resume()
  const exited = once(child, 'exit').then(([code]) => code as number)
  return { child, exited, stderr: () => stderr }
}

// A fresh PGlite took 58 s to come up at a load of 19 on two cores.
async function waitForHealth(base: string) {
  for (let i = 0; i < 900; i++) {
    if (await fetch(`${base}/health`).then((response) => response.ok, () => false)) return
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error('the server did not come up')
}

const post = (base: string, path: string, body: unknown) =>
  fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

t.test('a bad variable stops the server with one line naming it', async (t) => {
  const server = startServer({ PORT: 'abc', DATA_DIR: tempDir(t) })
  t.equal(await server.exited, 1)
  t.match(server.stderr(), /^error: PORT: Expected integer \(got "abc"\)\n$/)
})

t.test('start on PGlite, serve, refuse a second process, close gracefully, keep the data', async (t) => {
  const dataDir = join(tempDir(t), 'data')
  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  const first = startServer({ PORT: String(port), DATA_DIR: dataDir })
  t.teardown(() => first.child.kill('SIGKILL'))
  await waitForHealth(base)

  const docs = await fetch(`${base}/docs/json`)
  t.equal(docs.status, 200)
  t.equal((await docs.json() as { openapi: string }).openapi, '3.0.3')
  const registered = await post(base, '/auth/register', { username: 'alice', password: 'password123' })
  t.equal(registered.status, 201)
  const { token } = await registered.json() as { token: string }
  t.ok(existsSync(join(dataDir, 'jwt-secret')), 'the generated secret is kept')
  t.ok(existsSync(join(dataDir, 'pglite.lock')))

  const second = startServer({ PORT: String(await freePort()), DATA_DIR: dataDir })
  t.equal(await second.exited, 1, 'a second process on the same data directory stops')
  t.match(second.stderr(), /^error: .*pglite is in use by another process/)

  // SIGTERM while a login (an argon2 verification) is in flight: it still completes.
  const inFlight = post(base, '/auth/login', { username: 'alice', password: 'password123' })
  await new Promise((resolve) => setTimeout(resolve, 5))
  first.child.kill('SIGTERM')
  t.equal((await inFlight).status, 200, 'the in-flight request completes')
  t.equal(await first.exited, 0, `exits cleanly ${first.stderr()}`)
  t.notOk(existsSync(join(dataDir, 'pglite.lock')), 'the lock is released')

  const again = startServer({ PORT: String(port), DATA_DIR: dataDir })
  t.teardown(() => again.child.kill('SIGKILL'))
  await waitForHealth(base)
  const me = await fetch(`${base}/users/me`, { headers: { authorization: `Bearer ${token}` } })
  t.equal(me.status, 200, 'the account and the token survive a restart')
  t.equal((await me.json() as { username: string }).username, 'alice')
  again.child.kill('SIGINT')
  t.equal(await again.exited, 0)
})
