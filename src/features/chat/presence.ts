import type { FastifyBaseLogger } from 'fastify'
import type { EventBus } from '../../plugins/event-bus.js'
import { presenceChanged } from './events.js'
import type { Hub } from './hub.js'
import type { PresenceStore } from './presence-store.js'

export interface PresenceOptions {
  /** How long after a user's last socket here closes before they count as gone from this process. */
  graceMs: number
  /** How often dead processes are looked for. */
  reapMs: number
}

/**
 * Presence frames: a user's mutual followers hear when the user's first socket opens anywhere
 * and when the last one closes anywhere. A close waits out a grace first, so a reconnect (to
 * this process or another) is no offline-online flicker. A change costs one lookup of the
 * user's mutual followers and one event for them, whoever else is online.
 */
export function createPresence({ hub, bus, store, mutualFollowersOfEach, log, graceMs, reapMs }: PresenceOptions & {
  hub: Hub
  bus: EventBus
  store: PresenceStore
  mutualFollowersOfEach(userIds: readonly number[]): Promise<Map<number, number[]>>
  log: FastifyBaseLogger
}) {
  const leaving = new Map<number, NodeJS.Timeout>()

  // Sockets open in bursts (clients reconnecting after a restart): the lookups asked in one turn
  // of the event loop go out as one statement. With a query per socket, presence's work at each
  // first socket cost 0.86 KiB of RSS per idle socket; batched, about 0.6 less (bench/idle-sockets.ts, BENCHMARKS.md).
  let batch: Map<number, Array<{ resolve(audience: number[]): void, reject(error: unknown): void }>> | undefined
  function mutualFollowersOf(userId: number) {
    return new Promise<number[]>((resolve, reject) => {
      if (!batch) {
        const current = batch = new Map()
        setImmediate(() => {
          batch = undefined
          mutualFollowersOfEach([...current.keys()]).then((found) => {
            for (const [id, waiters] of current) for (const waiter of waiters) waiter.resolve(found.get(id) ?? [])
          }, (error: unknown) => {
            for (const waiters of current.values()) for (const waiter of waiters) waiter.reject(error)
          })
        })
      }
      const waiters = batch.get(userId)
      if (waiters) waiters.push({ resolve, reject })
      else batch.set(userId, [{ resolve, reject }])
    })
  }

  async function announce(userId: number, online: boolean, lastSeenAt: string | null) {
    const audience = await mutualFollowersOf(userId)
    if (audience.length > 0) await bus.publish(presenceChanged, { userId, online, lastSeenAt }, { to: audience })
  }

  function failed(error: unknown, userId: number) {
    log.warn({ err: error, userId }, 'presence change not recorded or not announced')
  }

  async function join(userId: number) {
    if (await store.join(userId)) await announce(userId, true, null)
  }

  async function leave(userId: number) {
    leaving.delete(userId)
    if (hub.has(userId)) return
    const lastSeenAt = await store.leave(userId)
    if (lastSeenAt !== null) await announce(userId, false, lastSeenAt)
  }

  async function announceAll(offline: Array<{ userId: number, lastSeenAt: string }>) {
    for (const { userId, lastSeenAt } of offline) await announce(userId, false, lastSeenAt).catch((error: unknown) => failed(error, userId))
  }

  store.onForgotten(() => {
    for (const userId of hub.users()) void join(userId).catch((error: unknown) => failed(error, userId))
  })
  const reaping = setInterval(() => {
    store.reap().then(announceAll, (error: unknown) => log.debug({ err: error }, 'presence reap failed'))
  }, reapMs).unref()

  const stopObserving = hub.observe({
    firstSocket(userId) {
      const pending = leaving.get(userId)
      if (pending) {
        // Back within the grace: never announced gone, so nothing to announce now.
        clearTimeout(pending)
        leaving.delete(userId)
        return
      }
      void join(userId).catch((error: unknown) => failed(error, userId))
    },
    lastSocket(userId) {
      if (hub.closing) return
      leaving.set(userId, setTimeout(() => {
        leave(userId).catch((error: unknown) => failed(error, userId))
      }, graceMs).unref())
    },
  })

  return {
    status: (userId: number) => store.status(userId),

    /** At shutdown: the users of this process held nowhere else are gone now. */
    async close() {
      stopObserving()
      clearInterval(reaping)
      for (const timer of leaving.values()) clearTimeout(timer)
      leaving.clear()
      await announceAll(await store.close())
    },
  }
}
export type Presence = ReturnType<typeof createPresence>
