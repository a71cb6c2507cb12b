import type { FollowEvents } from '../../plugins/follow-events.js'
import type { ChatRepository, PairStatus } from './repository.js'

const pairKey = (a: number, b: number) => (a < b ? `${a}:${b}` : `${b}:${a}`)

/**
 * Whether two users may message each other, asked for every message. Answers are cached per
 * pair and forgotten as soon as either follow between them changes, so an unfollow stops the
 * very next message without a query per message.
 */
export function createMutualFollows(repository: ChatRepository, followEvents: FollowEvents, maxEntries = 100_000) {
  const statuses = new Map<string, PairStatus>()
  // A lookup that started before a change may read the old graph: its answer is not kept.
  let changes = 0

  const forget = (followerId: number, followeeId: number) => {
    changes++
    statuses.delete(pairKey(followerId, followeeId))
  }
  const forgetAll = () => {
    changes++
    statuses.clear()
  }
  followEvents.on('change', forget)
  followEvents.on('reset', forgetAll)

  async function lookUp(key: string, senderId: number, recipientId: number) {
    const startedAt = changes
    const status = await repository.pairStatus(senderId, recipientId)
    if (startedAt === changes && followEvents.complete) {
      if (statuses.size >= maxEntries) statuses.delete(statuses.keys().next().value as string)
      statuses.set(key, status)
    }
    return status
  }

  return {
    /** Synchronous when cached, so the common case adds no await to a message's path. */
    status(senderId: number, recipientId: number): PairStatus | Promise<PairStatus> {
      const key = pairKey(senderId, recipientId)
      return statuses.get(key) ?? lookUp(key, senderId, recipientId)
    },

    close() {
      followEvents.off('change', forget)
      followEvents.off('reset', forgetAll)
    },
  }
}
export type MutualFollows = ReturnType<typeof createMutualFollows>
