import t, { type Test } from 'tap'
import { readFileSync } from 'node:fs'
import { sql } from 'drizzle-orm'
import { SchemaBehindError } from '../src/db/migrate.js'
import { buildTestApp, createTestDatabase, tempDir } from './helper.js'
import { spawnServer } from './server-process.js'

const journal = JSON.parse(readFileSync('drizzle/meta/_journal.json', 'utf8')) as { entries: Array<{ tag: string, when: number }> }
const newest = journal.entries.at(-1) as { tag: string, when: number }

/** One database that several apps open in turn: a fresh PostgreSQL database, or a PGlite directory. */
async function sharedDatabase(t: Test): Promise<Record<string, string>> {
  if (process.env.DATABASE_URL) return { DATABASE_URL: await createTestDatabase(t) }
  return { DATABASE_URL: '', DATA_DIR: tempDir(t) }
}

/** Opens the database with the migrations applied, runs `change` on it, and closes it again. */
async function migrated(t: Test, database: Record<string, string>, change?: string) {
  const app = await buildTestApp(t, database)
  if (change) await app.database.db.execute(sql.raw(change))
  await app.close()
}

t.test('MIGRATE=false on a database without the migrations refuses to start, naming what is missing', async (t) => {
  const fresh = { DATABASE_URL: await createTestDatabase(t), MIGRATE: 'false' }
  await t.rejects(buildTestApp(t, fresh), { name: 'SchemaBehindError', message: new RegExp(`schema is behind.*${newest.tag}`) })
})

t.test('MIGRATE=false on a migrated database starts without migrating and serves', async (t) => {
  const database = await sharedDatabase(t)
  await migrated(t, database)
  const app = await buildTestApp(t, { ...database, MIGRATE: 'false' })
  t.equal((await app.inject({ method: 'GET', url: '/ready' })).statusCode, 200)
  t.equal((await app.inject({ method: 'POST', url: '/auth/register', payload: { username: 'after_job', password: 'password123' } })).statusCode, 201,
    'the schema is there to use')
})

t.test('one migration short is behind; a database ahead of this release (newer code rolled back) is not', async (t) => {
  const behind = await sharedDatabase(t)
  await migrated(t, behind, `delete from drizzle.__drizzle_migrations where created_at = ${newest.when}`)
  await t.rejects(buildTestApp(t, { ...behind, MIGRATE: 'false' }), { message: new RegExp(`1 migration not applied: ${newest.tag}\\)`) })

  const ahead = await sharedDatabase(t)
  await migrated(t, ahead, `insert into drizzle.__drizzle_migrations (hash, created_at) values ('from a newer release', ${newest.when + 1000})`)
  const app = await buildTestApp(t, { ...ahead, MIGRATE: 'false' })
  t.equal((await app.inject({ method: 'GET', url: '/ready' })).statusCode, 200)
})

t.test('the server started with MIGRATE=false on an unmigrated database exits 1 with one clear line', async (t) => {
  const database = { DATABASE_URL: await createTestDatabase(t) }
  const server = await spawnServer(t, { DATA_DIR: tempDir(t), ...database, MIGRATE: 'false' })
  t.equal((await server.exited).code, 1)
  const stderr = server.stderr()
  t.match(stderr, new RegExp(`^error: the database schema is behind this release \\(\\d+ migrations? not applied: [^)]*${newest.tag}\\) and MIGRATE=false; .*\\n$`))
  t.equal(stderr.trim().split('\n').length, 1, 'one line, no stack trace')
  // An in-memory PGlite is gone with the process; a PostgreSQL database can be looked at.
  if (database.DATABASE_URL !== 'memory://') await t.rejects(buildTestApp(t, { ...database, MIGRATE: 'false' }), SchemaBehindError, 'it migrated nothing')
})

t.test('MIGRATE must be true or false', async (t) => {
  await t.rejects(buildTestApp(t, { MIGRATE: 'sometimes' }), { name: 'ConfigError', message: /^MIGRATE: / })
})
