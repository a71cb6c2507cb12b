import { fileURLToPath } from 'node:url'
import type { PGlite } from '@electric-sql/pglite'
import { sql } from 'drizzle-orm'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import { migrate as migratePgliteDb } from 'drizzle-orm/pglite/migrator'
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js'
import { migrate as migratePostgresDb } from 'drizzle-orm/postgres-js/migrator'
import postgres from 'postgres'

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
