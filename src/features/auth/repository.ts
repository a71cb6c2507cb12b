import { eq, or, sql } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { blocks, conversations, follows, messages, sessions, users } from '../../db/schema.js'
import { userColumns, usernameColumnKey, usernameKey } from '../users/table.js'

export function createAccountsRepository(db: Db) {
  return {
    /** Resolves to undefined when the name is taken, whatever its case. */
    async create(username: string, passwordHash: string) {
      const [user] = await db.insert(users).values({ username, passwordHash })
        .onConflictDoNothing()
        .returning(userColumns)
      return user
    },

    async findByUsername(username: string) {
      const [user] = await db.select({ ...userColumns, passwordHash: users.passwordHash })
        .from(users)
        .where(sql`${usernameColumnKey} = ${usernameKey(username)}`)
      return user
    },

    async findById(id: number) {
      const [user] = await db.select({ username: users.username, passwordHash: users.passwordHash }).from(users).where(eq(users.id, id))
      return user
    },

    async setPasswordHash(id: number, passwordHash: string) {
      await db.update(users).set({ passwordHash }).where(eq(users.id, id))
    },

    /**
     * Every row that names the user, in one transaction: their messages both ways, the inbox
     * rows of both people, follows and blocks both ways, sessions, and the user. Answers what the
     * other processes must hear of (sessions, follows) and the picture to remove; undefined when
     * the user was gone already. The foreign keys would cascade; the deletes say what goes.
     */
    async erase(id: number) {
      return db.transaction(async (tx) => {
        await tx.delete(messages).where(or(eq(messages.senderId, id), eq(messages.recipientId, id)))
        await tx.delete(conversations).where(or(eq(conversations.ownerId, id), eq(conversations.peerId, id)))
        const removedFollows = await tx.delete(follows).where(or(eq(follows.followerId, id), eq(follows.followeeId, id)))
          .returning({ followerId: follows.followerId, followeeId: follows.followeeId })
        await tx.delete(blocks).where(or(eq(blocks.blockerId, id), eq(blocks.blockedId, id)))
        const endedSessions = await tx.delete(sessions).where(eq(sessions.userId, id)).returning({ id: sessions.id })
        const [user] = await tx.delete(users).where(eq(users.id, id)).returning({ picture: users.profilePicture })
        return user && { picture: user.picture, follows: removedFollows, sessionIds: endedSessions.map((row) => row.id) }
      })
    },
  }
}
