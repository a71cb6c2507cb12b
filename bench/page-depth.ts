/**
 * Page 1 vs a page 10,000 entries deep of the followers of a user with 50,000 followers.
 * Keyset pagination should make them cost the same: the ratio is the claim.
 *   npx tsx bench/page-depth.ts   (DATABASE_URL: the server to create a scratch database on)
 */
import postgres from 'postgres'
import { api, freshDatabase, load, ratio, startService } from './lib.js'

const FOLLOWERS = Number(process.env.FOLLOWERS ?? 50_000)
const DEPTH = Number(process.env.DEPTH ?? 10_000)
const SECONDS = Number(process.env.SECONDS ?? 5)

const database = await freshDatabase('bench_pages')
const service = await startService({ DATABASE_URL: database.url })
try {
  const star = await api<{ user: { id: number }, token: string }>(service.base, 'POST', '/auth/register', { username: 'star', password: 'password123' })
  const sql = postgres(database.url, { max: 1, onnotice: () => {} })
  await sql`insert into users (username, password_hash)
    select 'fan' || g, 'not-a-hash' from generate_series(1, ${FOLLOWERS}) g`
  // Spread over time, as real follows are; the newest follow is the last fan.
  await sql`insert into follows (follower_id, followee_id, created_at)
    select id, ${star.user.id}, now() - ((${FOLLOWERS + 10} - id) * interval '1 second')
    from users where id <> ${star.user.id}`
  await sql`analyze`
  await sql.end()

  const path = `/users/${star.user.id}/followers`
  let cursor: string | null = null
  for (let seen = 0; seen < DEPTH; seen += 100) {
    const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''
    cursor = (await api<{ nextCursor: string | null }>(service.base, 'GET', `${path}?limit=100${query}`, undefined, star.token)).nextCursor
  }
  if (!cursor) throw new Error('the walk ended early')

  const headers = { authorization: `Bearer ${star.token}` }
  const first = await load({ url: `${service.base}${path}?limit=20`, headers, duration: SECONDS })
  const deep = await load({ url: `${service.base}${path}?limit=20&cursor=${encodeURIComponent(cursor)}`, headers, duration: SECONDS })

  console.log(`page-depth: GET ${path}?limit=20, ${FOLLOWERS} followers, 10 connections, ${SECONDS} s each`)
  console.table({
    'page 1': first,
    [`page at depth ${DEPTH}`]: deep,
  })
  console.log(`deep / first: requests/s ${ratio(deep.requestsPerSecond, first.requestsPerSecond)}, p99 ${ratio(deep.p99, first.p99)}`)
  const result = { scenario: 'page-depth', followers: FOLLOWERS, depth: DEPTH, first, deep, rpsRatio: ratio(deep.requestsPerSecond, first.requestsPerSecond), p99Ratio: ratio(deep.p99, first.p99) }
  console.log(JSON.stringify(result))
} finally {
  await service.stop()
  await database.drop()
}
