import t, { type Test } from 'tap'
import { once } from 'node:events'
import { existsSync, readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { createTestDatabase, freePort, tempDir } from './helper.js'
import { redisMissing } from './redis-helpers.js'
import { spawnServer, startServer } from './server-process.js'

// What a person starting the server gets when its surroundings are wrong: one line naming the
// cause and the setting, exit code 1 (a port in use printed 11 lines with a stack trace, a
// missing database a 26-line DrizzleQueryError).
const postgresSkip = !process.env.DATABASE_URL && 'DATABASE_URL is unset: these need a PostgreSQL server'

async function failure(t: Test, env: Record<string, string>) {
  const server = await spawnServer(t, env)
  const { code } = await server.exited
  t.equal(code, 1, 'exit code 1')
  t.equal(server.stderr().trim().split('\n').length, 1, `one line: ${server.stderr()}`)
  return server.stderr()
}

t.test('a port in use, before the database is opened', async (t) => {
  const taken = createServer().listen(0, '127.0.0.1')
  await once(taken, 'listening')
  t.teardown(() => taken.close())
  const { port } = taken.address() as { port: number }
  const dataDir = tempDir(t)
  const stderr = await failure(t, { PORT: String(port), DATA_DIR: dataDir })
  t.match(stderr, new RegExp(`^error: PORT: 127\\.0\\.0\\.1:${port} is already in use; .*set PORT`))
  t.notOk(existsSync(join(dataDir, 'pglite')), 'the database was not opened')
})

t.test('a database that does not exist, with how to create it', { skip: postgresSkip }, async (t) => {
  const url = new URL(process.env.DATABASE_URL as string)
  url.pathname = '/social_missing_database'
  const stderr = await failure(t, { DATABASE_URL: url.href })
  t.match(stderr, /^error: DATABASE_URL: database "social_missing_database" does not exist on 127\.0\.0\.1:5432; create it \(createdb .*social_missing_database\)/)
})

t.test('a database server that does not answer', async (t) => {
  const port = await freePort()
  const stderr = await failure(t, { DATABASE_URL: `postgres://postgres:secret-password@127.0.0.1:${port}/social` })
  t.match(stderr, new RegExp(`^error: DATABASE_URL: no PostgreSQL server answers at 127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)`))
  t.notMatch(stderr, /secret-password/, 'the password is not shown')
})

/** The log lines that say where the server listens: Fastify's own, one per address. */
async function startedLines(t: Test, env: Record<string, string>) {
  const server = await startServer(t, env)
  const lines = server.output().split('\n').filter((line) => line.includes('listening at'))
  return lines.map((line) => (JSON.parse(line) as { msg: string }).msg)
}

t.test('start-up says in one line what it runs on: PGlite', async (t) => {
  const dataDir = tempDir(t)
  const [line, ...more] = await startedLines(t, { DATA_DIR: dataDir })
  t.same(more, [], 'one line')
  const journal = JSON.parse(readFileSync('drizzle/meta/_journal.json', 'utf8')) as { entries: Array<{ tag: string }> }
  const count = journal.entries.length
  t.match(line, new RegExp(`^listening at http://127\\.0\\.0\\.1:\\d+: database PGlite in ${dataDir}/pglite, migrations ${count} of ${count} applied \\(newest ${journal.entries.at(-1)?.tag}\\), redis none$`))
})

t.test('start-up says in one line what it runs on: PostgreSQL and Redis, without passwords', { skip: postgresSkip || (redisMissing && 'redis-server is not installed') }, async (t) => {
  const url = new URL(await createTestDatabase(t))
  url.password = 'db-password'
  const [line, ...more] = await startedLines(t, { DATABASE_URL: url.href, REDIS_URL: 'redis://:redis-password@127.0.0.1:6379', REDIS_PREFIX: `startup-${process.pid}` })
  t.same(more, [], 'one line')
  url.password = '***'
  t.match(line, `database ${url.href}, migrations `)
  t.match(line, /, redis redis:\/\/:\*\*\*@127\.0\.0\.1:6379$/)
  t.notMatch(line, /password/)
})
