import type { FastifyBaseLogger } from 'fastify'
import type { EventBus } from '../../plugins/event-bus.js'
import { sessionsEnded } from './events.js'
import { TOUCH_INTERVAL_MS, type SessionRepository } from './session-repository.js'

interface LiveSession {
  userId: number
  /** When this process last had lastUsedAt written (ms since the epoch). */
  touchedAt: number
}

/**
 * The sessions of tokens, checked on every request. Live sessions are kept in this process's
 * memory, so a request costs no query for its session; every process forgets a session as soon
 * as the bus tells it the session ended, and forgets them all while events may be missed (Redis
 * away), reading PostgreSQL instead until the bus is whole again.
 */
export function createSessions(repository: SessionRepository, bus: EventBus, log: FastifyBaseLogger, maxEntries = 100_000) {
  const live = new Map<string, LiveSession>()
  // A lookup that started before a session ended may have read its row: its answer is not kept.
  let ends = 0

  bus.subscribe(sessionsEnded, ({ sessionIds }) => {
    ends++
    for (const id of sessionIds) live.delete(id)
  })
  bus.onReset(() => {
    ends++
    live.clear()
  })

  function touch(id: string, session: LiveSession, now: number) {
    session.touchedAt = now
    repository.touch(id).catch((error: unknown) => log.warn({ err: error }, 'session lastUsedAt not written'))
  }

  async function lookUp(id: string, userId: number): Promise<boolean> {
    const startedAt = ends
    const row = await repository.find(id)
    if (!row || row.userId !== userId) return false
    const session = { userId, touchedAt: row.lastUsedAt.getTime() }
    const now = Date.now()
    if (now - session.touchedAt >= TOUCH_INTERVAL_MS) touch(id, session, now)
    if (startedAt === ends && bus.complete) {
      if (live.size >= maxEntries) live.delete(live.keys().next().value as string)
      live.set(id, session)
    }
    return true
  }

  /** Tells every process (this one first) and resolves once the others were told. */
  async function ended(userId: number, sessionIds: string[]) {
    if (sessionIds.length > 0) await bus.publish(sessionsEnded, { userId, sessionIds })
  }

  return {
    /** Whether the session is live and the user's: from memory when known. */
    isLive(id: string, userId: number): boolean | Promise<boolean> {
      const session = live.get(id)
      if (!session || session.userId !== userId) return lookUp(id, userId)
      const now = Date.now()
      if (now - session.touchedAt >= TOUCH_INTERVAL_MS) touch(id, session, now)
      return true
    },

    async open(userId: number, userAgent: string | undefined) {
      // A header is the client's to fill: kept short enough to list.
      const row = await repository.create(userId, userAgent?.slice(0, 256) || null)
      return row.id
    },

    page: repository.page,

    /** False when the user has no such session. */
    async end(userId: number, id: string): Promise<boolean> {
      const removed = await repository.end(userId, id)
      await ended(userId, removed)
      return removed.length > 0
    },

    async endOthers(userId: number, keep: string) {
      await ended(userId, await repository.endOthers(userId, keep))
    },

    /** Sessions already deleted (with their user, say): every process forgets them. */
    ended,
  }
}
export type Sessions = ReturnType<typeof createSessions>
