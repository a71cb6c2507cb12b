import { createSigner } from 'fast-jwt'
import postgres from 'postgres'
import { JWT_SECRET } from './lib.js'

const sign = createSigner({ key: JWT_SECRET, algorithm: 'HS256', expiresIn: 3_600_000 })
export const tokenFor = (userId: number) => sign({ sub: String(userId) })

/**
 * Users in bulk (no password works for them: the hash is a placeholder), and each one's token.
 * Returns the ids in creation order.
 */
export async function seedUsers(databaseUrl: string, count: number, prefix: string): Promise<number[]> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} })
  try {
    const rows = await sql<Array<{ id: string }>>`insert into users (username, password_hash)
      select ${prefix} || g, 'placeholder' from generate_series(1, ${count}) g returning id`
    return rows.map((row) => Number(row.id))
  } finally {
    await sql.end()
  }
}

/** Every follower follows the followee, one second apart, oldest first. */
export async function seedFollowers(databaseUrl: string, followeeId: number, followerIds: number[]) {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} })
  try {
    await sql`insert into follows (follower_id, followee_id, created_at)
      select f, ${followeeId}, now() - ((${followerIds.length} - i) * interval '1 second')
      from unnest(${`{${followerIds.join(',')}}`}::bigint[]) with ordinality as t(f, i)`
    await sql`analyze`
  } finally {
    await sql.end()
  }
}
