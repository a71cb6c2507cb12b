import { and, eq, sql } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { follows, users } from '../../db/schema.js'
import { userColumns, usernameColumnKey } from './table.js'

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (char) => `\\${char}`)

export function createUsersRepository(db: Db) {
  return {
    async profile(id: number) {
      const [profile] = await db.select({
        ...userColumns,
        followersCount: sql<number>`(select count(*) from ${follows} where ${follows.followeeId} = ${users.id})`.mapWith(Number),
        followingCount: sql<number>`(select count(*) from ${follows} where ${follows.followerId} = ${users.id})`.mapWith(Number),
      }).from(users).where(eq(users.id, id))
      return profile
    },

    /** Alphabetical (ignoring case) from after the key `after`; prefix matches only when given. */
    async directory(prefix: string | undefined, limit: number, after: string | undefined) {
      return db.select({ ...userColumns, key: sql<string>`${usernameColumnKey}` })
        .from(users)
        .where(and(
          prefix === undefined ? undefined : sql`${usernameColumnKey} like ${`${escapeLike(prefix.toLowerCase())}%`}`,
          after === undefined ? undefined : sql`${usernameColumnKey} > ${after}`,
        ))
        .orderBy(usernameColumnKey)
        .limit(limit)
    },
  }
}
export type UsersRepository = ReturnType<typeof createUsersRepository>
