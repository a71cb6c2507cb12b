import t from 'tap'
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { getTableName, is, sql } from 'drizzle-orm'
import { PgTable } from 'drizzle-orm/pg-core'
import postgres from 'postgres'
import { openDatabase, rowsOf } from '../src/db/client.js'
import { DataDirLockedError } from '../src/db/lock.js'
import { migratePostgres } from '../src/db/migrate.js'
import * as schema from '../src/db/schema.js'
import { childProcessEnv, createTestDatabase, tempDir } from './helper.js'

const run = promisify(execFile)

// What the migrations must create and record: every table of the schema, every journal entry.
const schemaTables = Object.values(schema).filter((value) => is(value, PgTable)).map((table) => getTableName(table)).sort()
const journal = JSON.parse(readFileSync(new URL('../drizzle/meta/_journal.json', import.meta.url), 'utf8')) as { entries: unknown[] }

t.test('a PGlite directory is locked against a second process', async (t) => {
  const dir = join(tempDir(t), 'pglite')
  const first = await openDatabase({ pgliteDir: dir })
  t.teardown(() => first.close())
  await t.rejects(openDatabase({ pgliteDir: dir }), DataDirLockedError, 'a second open in this process fails')

  const child = `
    import { openDatabase } from './src/db/client.ts'
    try { await openDatabase({ pgliteDir: ${JSON.stringify(dir)} }); console.log('opened') }
    catch (error) { console.log(error.name + ': ' + error.message) }`
  const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', child], { env: childProcessEnv() })
  t.match(stdout, `DataDirLockedError: ${dir} is in use by another process`)
})

t.test('a pid file left by an earlier release is not judged by its pid, and data survives a reopen', async (t) => {
  const dir = join(tempDir(t), 'pglite')
  const first = await openDatabase({ pgliteDir: dir })
  await first.db.execute('create table kept (n int)')
  await first.db.execute('insert into kept values (42)')
  await first.close()
  const { writeFile } = await import('node:fs/promises')
  await writeFile(`${dir}.lock`, String(process.ppid))
  const second = await openDatabase({ pgliteDir: dir })
  t.teardown(() => second.close())
  t.same(await rowsOf(second.db, sql`select n from kept`), [{ n: 42 }])
})

t.test('migrations applied by several processes at once on a fresh database', { skip: !process.env.DATABASE_URL && 'needs DATABASE_URL' }, async (t) => {
  const url = await createTestDatabase(t)
  await Promise.all(Array.from({ length: 5 }, () => migratePostgres(url)))
  const sql = postgres(url, { max: 1 })
  t.teardown(() => sql.end())
  const tables = await sql`select tablename from pg_tables where schemaname = 'public' order by tablename`
  t.same(tables.map((row) => row.tablename), schemaTables)
  const applied = await sql`select count(*)::int as n from drizzle.__drizzle_migrations`
  t.equal(applied[0]?.n, journal.entries.length, 'each migration recorded once')
})

t.test('npm run migration:run finds the database the seed\'s DB_* keys name, as the server does', { skip: !process.env.DATABASE_URL && 'needs DATABASE_URL' }, async (t) => {
  const url = new URL(await createTestDatabase(t))
  const seedKeys = { DB_HOST: url.hostname, DB_PORT: url.port || '5432', DB_USER: decodeURIComponent(url.username), DB_NAME: url.pathname.slice(1) }
  await run('npx', ['drizzle-kit', 'migrate'], { env: childProcessEnv({ DATABASE_URL: undefined, ...seedKeys }) })
  const sql = postgres(url.href, { max: 1 })
  t.teardown(() => sql.end())
  const [row] = await sql`select count(*)::int as n from information_schema.tables where table_schema = 'public'`
  t.equal(row?.n, schemaTables.length, `the tables are in ${seedKeys.DB_NAME}`)
})

t.test('npm run migration:run with no database named refuses, rather than migrating one the server does not use', async (t) => {
  const failed = await run('npx', ['drizzle-kit', 'migrate'], { env: childProcessEnv({ DATABASE_URL: undefined, DB_HOST: undefined }) }).then(() => null, (error: { stderr: string, stdout: string }) => error)
  t.ok(failed, 'drizzle-kit exits with an error')
  t.match(`${failed?.stdout}${failed?.stderr}`, /set DATABASE_URL \(or DB_HOST and DB_NAME\)/)
})

t.test('npm run migration:run applies the migrations with drizzle-kit', { skip: !process.env.DATABASE_URL && 'needs DATABASE_URL' }, async (t) => {
  const url = await createTestDatabase(t)
  await run('npx', ['drizzle-kit', 'migrate'], { env: childProcessEnv({ DATABASE_URL: url }) })
  const sql = postgres(url, { max: 1 })
  t.teardown(() => sql.end())
  const [row] = await sql`select count(*)::int as n from information_schema.tables where table_schema = 'public'`
  t.equal(row?.n, schemaTables.length)
  await migratePostgres(url)
  const [applied] = await sql`select count(*)::int as n from drizzle.__drizzle_migrations`
  t.equal(applied?.n, journal.entries.length, 'the server sees them as applied')
})
