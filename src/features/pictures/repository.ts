import { eq } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { users } from '../../db/schema.js'

export function createPicturesRepository(db: Db) {
  /**
   * Points the user's row at `name` and answers the name it pointed at before, read under the
   * row lock in the same statement: of two racing uploads each learns exactly the file it replaced.
   * Undefined when the user no longer exists.
   */
  async function replace(userId: number, name: string | null): Promise<{ previous: string | null } | undefined> {
    const before = db.select({ id: users.id, previous: users.profilePicture })
      .from(users)
      .where(eq(users.id, userId))
      .for('update')
      .as('before')
    const [row] = await db.update(users)
      .set({ profilePicture: name })
      .from(before)
      .where(eq(users.id, before.id))
      .returning({ previous: before.previous })
    return row
  }

  return { replace }
}
export type PicturesRepository = ReturnType<typeof createPicturesRepository>
