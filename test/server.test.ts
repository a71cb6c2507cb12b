import t from 'tap'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { tempDir } from './helper.js'
import { spawnServer, startServer } from './server-process.js'

/** As `npm start` runs it on embedded PGlite, with the secret it generates itself. */
const onPglite = { NODE_ENV: 'development', LOG_LEVEL: 'warn', JWT_SECRET: undefined }

const post = (base: string, path: string, body: unknown) =>
  fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

t.test('a bad variable stops the server with one line naming it', async (t) => {
  const server = await spawnServer(t, { ...onPglite, PORT: 'abc', DATA_DIR: tempDir(t) })
  t.equal((await server.exited).code, 1)
  t.match(server.stderr(), /^error: PORT: Expected integer \(got "abc"\)\n$/)
})

t.test('start on PGlite, serve, refuse a second process, close gracefully, keep the data', async (t) => {
  const dataDir = join(tempDir(t), 'data')
  const first = await startServer(t, { ...onPglite, DATA_DIR: dataDir })
  const { base } = first

  const docs = await fetch(`${base}/docs/json`)
  t.equal(docs.status, 200)
  t.equal((await docs.json() as { openapi: string }).openapi, '3.0.3')
  const registered = await post(base, '/auth/register', { username: 'alice', password: 'password123' })
  t.equal(registered.status, 201)
  const { token } = await registered.json() as { token: string }
  t.ok(existsSync(join(dataDir, 'jwt-secret')), 'the generated secret is kept')
  t.ok(existsSync(join(dataDir, 'pglite.lock')))

  const second = await spawnServer(t, { ...onPglite, DATA_DIR: dataDir })
  t.equal((await second.exited).code, 1, 'a second process on the same data directory stops')
  t.match(second.stderr(), /^error: .*pglite is in use by another process/)

  // SIGTERM while a login (an argon2 verification) is in flight: it still completes.
  const inFlight = post(base, '/auth/login', { username: 'alice', password: 'password123' })
  await new Promise((resolve) => setTimeout(resolve, 5))
  first.child.kill('SIGTERM')
  t.equal((await inFlight).status, 200, 'the in-flight request completes')
  t.equal((await first.exited).code, 0, `exits cleanly ${first.stderr()}`)
  t.notOk(existsSync(join(dataDir, 'pglite.lock')), 'the lock is released')

  const again = await startServer(t, { ...onPglite, PORT: new URL(base).port, DATA_DIR: dataDir })
  const me = await fetch(`${base}/users/me`, { headers: { authorization: `Bearer ${token}` } })
  t.equal(me.status, 200, 'the account and the token survive a restart')
  t.equal((await me.json() as { username: string }).username, 'alice')
  again.child.kill('SIGINT')
  t.equal((await again.exited).code, 0)
})
