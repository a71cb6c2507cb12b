import { sql } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { users } from '../../db/schema.js'
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
  }
}
