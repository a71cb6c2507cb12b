import { and, desc, eq, sql } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { driverErrorCode } from '../../db/errors.js'
import { blocks, follows, users } from '../../db/schema.js'
import { eitherBlocks, lockPair } from '../blocks/pair.js'
import { createUserExists, userColumns } from '../users/table.js'

export type Direction = 'followers' | 'following'

function pageQuery(db: Db, direction: Direction, after: boolean) {
  const [owner, other] = direction === 'followers'
    ? [follows.followeeId, follows.followerId]
    : [follows.followerId, follows.followeeId]
  return db.select({ ...userColumns, followedAt: follows.createdAt })
    .from(follows)
    .innerJoin(users, eq(users.id, other))
    .where(and(
      eq(owner, sql.placeholder('userId')),
      after ? sql`(${follows.createdAt}, ${other}) < (${sql.placeholder('afterTime')}::timestamptz, ${sql.placeholder('afterId')})` : undefined,
    ))
    .orderBy(desc(follows.createdAt), desc(other))
    .limit(sql.placeholder('limit'))
    .prepare(`${direction}_page${after ? '_after' : ''}`)
}

export function createFollowsRepository(db: Db) {
  const pages = {
    followers: { first: pageQuery(db, 'followers', false), next: pageQuery(db, 'followers', true) },
    following: { first: pageQuery(db, 'following', false), next: pageQuery(db, 'following', true) },
  }

  return {
    /**
     * True when a new follow row was made; false when it existed, the followee does not, or
     * either blocks the other. Under the pair's lock, which a block takes too: a follow racing
     * a block either lands before it (and the block removes it) or sees it.
     */
    async follow(followerId: number, followeeId: number) {
      // The select saw the followee, but a deletion committed before the insert's foreign-key
      // check (23503): the followee does not exist, as if the select had not seen it.
      const inserted = await db.transaction(async (tx) => {
        await lockPair(tx, followerId, followeeId)
        return tx.insert(follows)
          .select(tx.select({ followerId: sql<number>`${followerId}::bigint`.as('follower_id'), followeeId: users.id, createdAt: sql<Date>`now()`.as('created_at') })
            .from(users).where(and(eq(users.id, followeeId), sql`not ${eitherBlocks(followerId, followeeId)}`)))
          .onConflictDoNothing()
          .returning({ followeeId: follows.followeeId })
      }).catch((error: unknown) => {
        if (driverErrorCode(error) === '23503') return []
        throw error
      })
      return inserted.length > 0
    },

    /** True when a follow row was removed. */
    async unfollow(followerId: number, followeeId: number) {
      const deleted = await db.delete(follows)
        .where(and(eq(follows.followerId, followerId), eq(follows.followeeId, followeeId)))
        .returning({ followeeId: follows.followeeId })
      return deleted.length > 0
    },

    /** Undefined when the other user does not exist. */
    async relationship(userId: number, otherId: number) {
      const [row] = await db.select({
        following: sql<boolean>`exists(select 1 from ${follows} where ${follows.followerId} = ${userId} and ${follows.followeeId} = ${users.id})`,
        followedBy: sql<boolean>`exists(select 1 from ${follows} where ${follows.followerId} = ${users.id} and ${follows.followeeId} = ${userId})`,
        blocking: sql<boolean>`exists(select 1 from ${blocks} where ${blocks.blockerId} = ${userId} and ${blocks.blockedId} = ${users.id})`,
        blockedBy: sql<boolean>`exists(select 1 from ${blocks} where ${blocks.blockerId} = ${users.id} and ${blocks.blockedId} = ${userId})`,
      }).from(users).where(eq(users.id, otherId))
      return row && { userId: otherId, following: row.following, followedBy: row.followedBy, mutual: row.following && row.followedBy, blocking: row.blocking, blockedBy: row.blockedBy }
    },

    userExists: createUserExists(db),

    /**
     * One page of a follow list, newest follow first, strictly after `after` (keyset: the
     * index on (user, created_at, other), scanned backwards, makes page 1,000 cost what page 1 costs).
     */
    async list(direction: Direction, userId: number, limit: number, after?: readonly [number, number]) {
      const query = after ? pages[direction].next : pages[direction].first
      return query.execute({ userId, limit, afterTime: after && new Date(after[0]).toISOString(), afterId: after?.[1] })
    },
  }
}
export type FollowsRepository = ReturnType<typeof createFollowsRepository>
