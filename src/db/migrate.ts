import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import type { PGlite } from '@electric-sql/pglite'
import { sql } from 'drizzle-orm'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import { migrate as migratePgliteDb } from 'drizzle-orm/pglite/migrator'
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js'
import { migrate as migratePostgresDb } from 'drizzle-orm/postgres-js/migrator'
import postgres from 'postgres'
import { rowsOf, type Db } from './client.js'

const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url))
// Any fixed number works: every process of this service takes the same one.
const MIGRATION_LOCK = 7_306_128_411

/** drizzle's migrator has no locking; the advisory lock lets processes start together on a fresh database. */
export async function migratePostgres(url: string): Promise<void> {
  const client = postgres(url, { max: 1, connect_timeout: 5, onnotice: () => {} })
  try {
    const db = drizzlePostgres(client)
    await db.execute(sql`select pg_advisory_lock(${MIGRATION_LOCK})`)
    await migratePostgresDb(db, { migrationsFolder })
    await db.execute(sql`select pg_advisory_unlock(${MIGRATION_LOCK})`)
  } finally {
    await client.end()
  }
}

export async function migratePglite(client: PGlite): Promise<void> {
  await migratePgliteDb(drizzlePglite(client), { migrationsFolder })
}

export class SchemaBehindError extends Error {
  override name = 'SchemaBehindError'
}

interface JournalEntry {
  tag: string
  when: number
}

/**
 * The migrations in the folder that drizzle's migrator would still apply: it records each one's
 * `when` as created_at and applies every migration newer than the newest recorded. A database
 * ahead of this release (a newer one recorded) is not behind: old and new processes may overlap.
 */
export async function pendingMigrations(db: Db): Promise<string[]> {
  const journal = JSON.parse(await readFile(`${migrationsFolder}/meta/_journal.json`, 'utf8')) as { entries: JournalEntry[] }
  const [table] = await rowsOf<{ name: string | null }>(db, sql`select to_regclass('drizzle.__drizzle_migrations')::text as name`)
  let newest = -Infinity
  if (table?.name) {
    const [row] = await rowsOf<{ newest: string | number | null }>(db, sql`select max(created_at) as newest from drizzle.__drizzle_migrations`)
    if (row?.newest !== null && row?.newest !== undefined) newest = Number(row.newest)
  }
  return journal.entries.filter((entry) => entry.when > newest).map((entry) => entry.tag)
}

/** How many of this release's migrations the database has, and the newest of them. */
export async function appliedMigrations(db: Db): Promise<{ applied: number, of: number, newest: string | null }> {
  const journal = JSON.parse(await readFile(`${migrationsFolder}/meta/_journal.json`, 'utf8')) as { entries: JournalEntry[] }
  const pending = new Set(await pendingMigrations(db))
  const applied = journal.entries.filter((entry) => !pending.has(entry.tag))
  return { applied: applied.length, of: journal.entries.length, newest: applied.at(-1)?.tag ?? null }
}

export async function assertSchemaCurrent(db: Db): Promise<void> {
  const pending = await pendingMigrations(db)
  if (pending.length === 0) return
  throw new SchemaBehindError(`the database schema is behind this release (${pending.length} migration${pending.length === 1 ? '' : 's'} ` +
    `not applied: ${pending.join(', ')}) and MIGRATE=false; apply them (npm run migration:run) or start with MIGRATE=true`)
}
