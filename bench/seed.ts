import { createSigner } from 'fast-jwt'
import postgres from 'postgres'
import { JWT_SECRET } from './lib.js'

const sign = createSigner({ key: JWT_SECRET, algorithm: 'HS256', expiresIn: 3_600_000 })
const sessionOf = new Map<number, string>()
/** A token of the user's seeded session (a token must name a live session). */
export const tokenFor = (userId: number) => sign({ sub: String(userId), sid: sessionOf.get(userId) })

/** A session for every user who has none, as a login would open. */
export async function seedSessions(sql: postgres.Sql) {
  const rows = await sql<Array<{ id: string, userId: string }>>`insert into sessions (id, user_id)
    select gen_random_uuid(), u.id from users u where not exists (select 1 from sessions s where s.user_id = u.id)
    returning id, user_id as "userId"`
  for (const row of rows) sessionOf.set(Number(row.userId), row.id)
}

/**
 * Users in bulk (no password works for them: the hash is a placeholder), and each one's token.
 * Returns the ids in creation order.
 */
export async function seedUsers(databaseUrl: string, count: number, prefix: string): Promise<number[]> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} })
  try {
    const rows = await sql<Array<{ id: string }>>`insert into users (username, password_hash)
      select ${prefix} || g, 'placeholder' from generate_series(1, ${count}) g returning id`
    await seedSessions(sql)
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
