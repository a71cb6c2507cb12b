import { eq, sql } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { users } from '../../db/schema.js'

export const usernameKey = (username: string) => sql`lower(${username}) collate "C"`
export const usernameColumnKey = sql`lower(${users.username}) collate "C"`

const publicColumns = {
  id: users.id,
  username: users.username,
  profilePicture: users.profilePicture,
  createdAt: users.createdAt,
}

export function createAccountsRepository(db: Db) {
  // Every authenticated request runs this: prepared once, planned once by PostgreSQL.
  const userById = db.select({ id: users.id }).from(users)
    .where(eq(users.id, sql.placeholder('id')))
    .prepare('user_exists')

  return {
    /** Resolves to undefined when the name is taken, whatever its case. */
    async create(username: string, passwordHash: string) {
      const [user] = await db.insert(users).values({ username, passwordHash })
        .onConflictDoNothing()
        .returning(publicColumns)
      return user
    },

    async findByUsername(username: string) {
      const [user] = await db.select({ ...publicColumns, passwordHash: users.passwordHash })
        .from(users)
        .where(sql`${usernameColumnKey} = ${usernameKey(username)}`)
      return user
    },

    async exists(id: number) {
      const [user] = await userById.execute({ id })
      return user !== undefined
    },
  }
}
