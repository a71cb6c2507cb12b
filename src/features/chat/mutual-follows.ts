import type { EventBus } from '../../plugins/event-bus.js'
import { followChanged } from '../follows/events.js'
import type { ChatRepository, PairStatus } from './repository.js'

const pairKey = (a: number, b: number) => (a < b ? `${a}:${b}` : `${b}:${a}`)

/**
 * Whether two users may message each other, asked for every message. Answers are cached per
 * pair and forgotten as soon as either follow between them changes, so an unfollow stops the
 * very next message without a query per message.
 */
export function createMutualFollows(repository: ChatRepository, bus: EventBus, maxEntries = 100_000) {
  const statuses = new Map<string, PairStatus>()
  // A lookup that started before a change may read the old graph: its answer is not kept.
  let changes = 0

  const unsubscribe = bus.subscribe(followChanged, ({ followerId, followeeId }) => {
    changes++
    statuses.delete(pairKey(followerId, followeeId))
  })
  const stopResetting = bus.onReset(() => {
    changes++
    statuses.clear()
  })

  async function lookUp(key: string, senderId: number, recipientId: number) {
    const startedAt = changes
    const status = await repository.pairStatus(senderId, recipientId)
    if (startedAt === changes && bus.complete) {
      if (statuses.size >= maxEntries) statuses.delete(statuses.keys().next().value as string)
      statuses.set(key, status)
    }
    return status
  }

  return {
    /** From the cache when known, without a query. */
    status(senderId: number, recipientId: number): PairStatus | Promise<PairStatus> {
      const key = pairKey(senderId, recipientId)
      return statuses.get(key) ?? lookUp(key, senderId, recipientId)
    },

    close() {
      unsubscribe()
      stopResetting()
    },
  }
}
export type MutualFollows = ReturnType<typeof createMutualFollows>
