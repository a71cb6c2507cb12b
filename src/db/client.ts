import { PGlite } from '@electric-sql/pglite'
import { sql, type SQL } from 'drizzle-orm'
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js'
import postgres from 'postgres'
import type { Config } from '../config.js'
import { lockDataDir } from './lock.js'
import { assertSchemaCurrent, migratePglite, migratePostgres } from './migrate.js'
import { countCalls, createPoolUse, type PoolUse } from './pool.js'
import * as schema from './schema.js'

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>

/**
 * The rows of a raw statement. The one place that knows the drivers answer execute()
 * differently: postgres-js with the rows themselves, PGlite with an object holding them.
 */
export async function rowsOf<Row extends object>(db: Db, query: SQL): Promise<Row[]> {
  const result: unknown = await db.execute(query)
  return Array.isArray(result) ? result : (result as { rows: Row[] }).rows
}

export interface Database {
  db: Db
  driver: 'postgres' | 'pglite'
  /** Connections in use and statements waiting for one. */
  pool: PoolUse
  /** Resolves when the database answers a query within timeoutMs. */
  ping(timeoutMs?: number): Promise<void>
  close(): Promise<void>
}

/** With migrate false the migrations are another job's: the database is only checked to have them all. */
export async function openDatabase(settings: Config['database'], { migrate = true } = {}): Promise<Database> {
  const database = 'url' in settings ? await openPostgres(settings.url, migrate) : await openPglite(settings.pgliteDir, migrate)
  if (migrate) return database
  try {
    await assertSchemaCurrent(database.db)
  } catch (error) {
    await database.close()
    throw error
  }
  return database
}

const POOL_SIZE = 10

async function openPostgres(url: string, migrate: boolean): Promise<Database> {
  if (migrate) await migratePostgres(url)
  const client = postgres(url, {
    max: POOL_SIZE,
    connect_timeout: 5,
    // A query waits for its connection to be re-established, and postgres-js's default backoff
    // grows to 20 s while the server is down: requests hung that long instead of answering 503.
    // Retrying every half second at most makes each query fail (or succeed) within a second.
    backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 0.5),
    onnotice: () => {},
  })
  const pool = createPoolUse(POOL_SIZE)
  countCalls(client, ['unsafe', 'begin'], pool.track)
  const db: Db = drizzlePostgres(client, { schema })
  return {
    db,
    driver: 'postgres',
    pool: pool.use,
    ping: (timeoutMs) => ping(db, timeoutMs),
    close: () => client.end({ timeout: 5 }),
  }
}

async function openPglite(dataDir: string | null, migrate: boolean): Promise<Database> {
  const release = dataDir ? await lockDataDir(dataDir) : async () => {}
  try {
    const client = await PGlite.create(dataDir ?? 'memory://')
    if (migrate) await migratePglite(client)
    // One connection: a statement waits for the one before it (or the transaction holding it) to end.
    const pool = createPoolUse(1)
    countCalls(client, ['query', 'transaction'], pool.track)
    const db: Db = drizzlePglite(client, { schema })
    return {
      db,
      driver: 'pglite',
      pool: pool.use,
      ping: (timeoutMs) => ping(db, timeoutMs),
      close: async () => {
        if (client.closed) return
        await client.close()
        await release()
      },
    }
  } catch (error) {
    await release()
    throw error
  }
}

async function ping(db: Db, timeoutMs = 2000): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`database did not answer within ${timeoutMs} ms`)), timeoutMs)
  })
  try {
    await Promise.race([db.execute(sql`select 1`), timeout])
  } finally {
    clearTimeout(timer)
  }
}
