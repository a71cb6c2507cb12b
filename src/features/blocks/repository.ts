import { and, desc, eq, or, sql } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { blocks, follows, users } from '../../db/schema.js'
import { userColumns } from '../users/table.js'
import { lockPair } from './pair.js'

export function createBlocksRepository(db: Db) {
  return {
    /**
     * Blocks `blockedId` and removes the follows between the two, both ways, in one
     * transaction; answers the follows removed, or undefined when `blockedId` is nobody.
     */
    async block(blockerId: number, blockedId: number) {
      return db.transaction(async (tx) => {
        await lockPair(tx, blockerId, blockedId)
        const [other] = await tx.select({ id: users.id }).from(users).where(eq(users.id, blockedId)).for('key share')
        if (!other) return undefined
        await tx.insert(blocks).values({ blockerId, blockedId }).onConflictDoNothing()
        return tx.delete(follows)
          .where(or(
            and(eq(follows.followerId, blockerId), eq(follows.followeeId, blockedId)),
            and(eq(follows.followerId, blockedId), eq(follows.followeeId, blockerId)),
          ))
          .returning({ followerId: follows.followerId, followeeId: follows.followeeId })
      })
    },

    async unblock(blockerId: number, blockedId: number) {
      await db.delete(blocks).where(and(eq(blocks.blockerId, blockerId), eq(blocks.blockedId, blockedId)))
    },

    /** Newest block first, strictly after the position (blockedAt ms, user id). */
    async list(blockerId: number, limit: number, after: readonly [number, number] | undefined) {
      return db.select({ ...userColumns, blockedAt: blocks.createdAt })
        .from(blocks)
        .innerJoin(users, eq(users.id, blocks.blockedId))
        .where(and(
          eq(blocks.blockerId, blockerId),
          after && sql`(${blocks.createdAt}, ${blocks.blockedId}) < (${new Date(after[0]).toISOString()}::timestamptz, ${after[1]})`,
        ))
        .orderBy(desc(blocks.createdAt), desc(blocks.blockedId))
        .limit(limit)
    },
  }
}
export type BlocksRepository = ReturnType<typeof createBlocksRepository>
