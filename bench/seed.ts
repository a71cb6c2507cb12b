import { createSigner } from 'fast-jwt'
import postgres from 'postgres'
import { JWT_SECRET } from './lib.js'

const sign = createSigner({ key: JWT_SECRET, algorithm: 'HS256', expiresIn: 3_600_000 })
const sessionOf = new Map<number, string>()
/** A token of the user's seeded session (a token must name a live session). */
export const tokenFor = (userId: number) => sign({ sub: String(userId), sid: sessionOf.get(userId) })

/** A session for every user who has none, as a login would open (none before sessions existed: an older checkout's database has no such table). */
export async function seedSessions(sql: postgres.Sql) {
  const [table] = await sql<Array<{ exists: boolean }>>`select to_regclass('sessions') is not null as exists`
  if (!table?.exists) return
  // A user seeded before (in another database of the same run) keeps their session id, so one token serves both.
  const known = [...sessionOf]
  const rows = await sql<Array<{ id: string, userId: string }>>`insert into sessions (id, user_id)
    select coalesce(k.sid, gen_random_uuid()), u.id from users u
    left join unnest(${sql.array(known.map(([userId]) => userId))}::bigint[], ${sql.array(known.map(([, sid]) => sid))}::uuid[]) k(user_id, sid) on k.user_id = u.id
    where not exists (select 1 from sessions s where s.user_id = u.id)
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
