import { and, desc, eq, lt, ne, sql } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { sessions } from '../../db/schema.js'

export const sessionColumns = {
  id: sessions.id,
  createdAt: sessions.createdAt,
  lastUsedAt: sessions.lastUsedAt,
  userAgent: sessions.userAgent,
}
export type SessionRow = { [K in keyof typeof sessionColumns]: (typeof sessions.$inferSelect)[K] }

/** How often a session's lastUsedAt is written at most, whichever process sees it used. */
export const TOUCH_INTERVAL_MS = 60_000

export function createSessionRepository(db: Db) {
  const byId = db.select({ userId: sessions.userId, lastUsedAt: sessions.lastUsedAt }).from(sessions)
    .where(eq(sessions.id, sql.placeholder('id')))
    .prepare('session_by_id')

  return {
    async create(userId: number, userAgent: string | null) {
      const [row] = await db.insert(sessions).values({ id: crypto.randomUUID(), userId, userAgent }).returning(sessionColumns)
      return row as SessionRow
    },

    async find(id: string) {
      const [row] = await byId.execute({ id })
      return row
    },

    /** The condition makes it once a minute across processes too, not once per process. */
    async touch(id: string) {
      await db.update(sessions).set({ lastUsedAt: sql`now()` })
        .where(and(eq(sessions.id, id), lt(sessions.lastUsedAt, sql`now() - make_interval(secs => ${TOUCH_INTERVAL_MS / 1000})`)))
    },

    /** Newest first, strictly after the position (createdAt ms, id). */
    async page(userId: number, limit: number, after: readonly [number, string] | undefined) {
      return db.select(sessionColumns).from(sessions)
        .where(and(
          eq(sessions.userId, userId),
          after && sql`(${sessions.createdAt}, ${sessions.id}) < (${new Date(after[0]).toISOString()}::timestamptz, ${after[1]}::uuid)`,
        ))
        .orderBy(desc(sessions.createdAt), desc(sessions.id))
        .limit(limit)
    },

    /** The ids removed: the one given if it is the user's, else none. */
    async end(userId: number, id: string): Promise<string[]> {
      const rows = await db.delete(sessions).where(and(eq(sessions.userId, userId), eq(sessions.id, id))).returning({ id: sessions.id })
      return rows.map((row) => row.id)
    },

    /** Every session of the user but `keep`; the ids removed. */
    async endOthers(userId: number, keep: string): Promise<string[]> {
      const rows = await db.delete(sessions).where(and(eq(sessions.userId, userId), ne(sessions.id, keep))).returning({ id: sessions.id })
      return rows.map((row) => row.id)
    },
  }
}
export type SessionRepository = ReturnType<typeof createSessionRepository>
