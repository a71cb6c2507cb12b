import { eq, sql } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { users } from '../../db/schema.js'

/**
 * The users table as every feature reads it: auth, users, follows and chat select these columns
 * and ask whether a user exists through this module. The password hash is auth's alone.
 */
export const userColumns = {
  id: users.id,
  username: users.username,
  profilePicture: users.profilePicture,
  createdAt: users.createdAt,
}
export type UserRow = Pick<typeof users.$inferSelect, keyof typeof userColumns>

/** Usernames compare ignoring case, in "C" collation: the expression users_username_key indexes. */
export const usernameKey = (username: string) => sql`lower(${username}) collate "C"`
export const usernameColumnKey = sql`lower(${users.username}) collate "C"`

export type UserExists = (id: number) => Promise<boolean>

export function createUserExists(db: Db): UserExists {
  // Every authenticated request asks: prepared once, planned once by PostgreSQL.
  const userById = db.select({ id: users.id }).from(users)
    .where(eq(users.id, sql.placeholder('id')))
    .prepare('user_exists')
  return async (id) => (await userById.execute({ id })).length > 0
}
