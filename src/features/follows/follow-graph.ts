import { Blocked, CannotFollowSelf, UserNotFound } from '../../errors.js'
import type { Cursors } from '../../plugins/cursors.js'
import type { EventBus } from '../../plugins/event-bus.js'
import { toPage } from '../../schemas/pagination.js'
import { toUser, type PictureUrl } from '../users/schemas.js'
import { followChanged } from './events.js'
import type { Direction, FollowsRepository } from './repository.js'
import { FollowPosition } from './schemas.js'

/** What the follow routes do, shared by the current routes and the legacy ones. */
export function createFollowGraph(repository: FollowsRepository, bus: EventBus, cursors: Cursors, pictureUrl: PictureUrl) {
  async function relationship(userId: number, otherId: number) {
    const found = await repository.relationship(userId, otherId)
    if (!found) throw new UserNotFound(otherId)
    return found
  }

  return {
    relationship,

    async follow(followerId: number, followeeId: number) {
      if (followerId === followeeId) throw new CannotFollowSelf()
      if (await repository.follow(followerId, followeeId)) await bus.publish(followChanged, { followerId, followeeId })
      const answer = await relationship(followerId, followeeId)
      if (answer.blocking || answer.blockedBy) throw new Blocked(followeeId)
      return answer
    },

    async unfollow(followerId: number, followeeId: number) {
      if (await repository.unfollow(followerId, followeeId)) await bus.publish(followChanged, { followerId, followeeId })
      return relationship(followerId, followeeId)
    },

    async list(direction: Direction, userId: number, limit: number, cursor: string | undefined) {
      const scope = `${direction}:${userId}`
      const after = cursor === undefined ? undefined : cursors.decode(scope, cursor, FollowPosition)
      const rows = await repository.list(direction, userId, limit + 1, after)
      if (rows.length === 0 && !(await repository.userExists(userId))) throw new UserNotFound(userId)
      return toPage(
        rows,
        limit,
        (row) => ({ ...toUser(row, pictureUrl), followedAt: row.followedAt.toISOString() }),
        (row) => cursors.encode(scope, [row.followedAt.getTime(), row.id]),
      )
    },
  }
}
export type FollowGraph = ReturnType<typeof createFollowGraph>
