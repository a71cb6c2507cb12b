/**
 * A follow/unfollow storm: many users following and unfollowing a few popular ones at once.
 * Reports requests/s and p99, then checks every count the API gives against the rows.
 *   npx tsx bench/follow-churn.ts
 */
import type autocannon from 'autocannon'
import postgres from 'postgres'
import { api, freshDatabase, load, startService } from './lib.js'
import { seedUsers, tokenFor } from './seed.js'

const SECONDS = Number(process.env.SECONDS ?? 8)
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 20)

const database = await freshDatabase('bench_churn')
const service = await startService({ DATABASE_URL: database.url })
try {
  const ids = await seedUsers(database.url, 300, 'churn')
  const stars = ids.slice(0, 10)
  const fans = ids.slice(10)
  let sequence = 0
  const result = await load({
    url: service.base,
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: [{
      setupRequest: (request: autocannon.Request) => {
        const n = sequence++
        const fan = fans[(n * 7919) % fans.length]!
        const star = stars[n % stars.length]!
        return { ...request, method: n % 3 === 2 ? 'DELETE' : 'PUT', path: `/users/${star}/follow`, headers: { authorization: `Bearer ${tokenFor(fan)}` } }
      },
    }],
  })

  const sql = postgres(database.url, { max: 1, onnotice: () => {} })
  let wrong = 0
  for (const id of [...stars, ...fans.slice(0, 20)]) {
    const profile = await api<{ followersCount: number, followingCount: number }>(service.base, 'GET', `/users/${id}`, undefined, tokenFor(id))
    const [rows] = await sql`select
      (select count(*)::int from follows where followee_id = ${id}) as followers,
      (select count(*)::int from follows where follower_id = ${id}) as following`
    if (profile.followersCount !== rows!.followers || profile.followingCount !== rows!.following) wrong++
  }
  await sql.end()
  console.log(`follow-churn: PUT/DELETE /users/{id}/follow, ${fans.length} fans x ${stars.length} stars, ${CONNECTIONS} connections, ${SECONDS} s`)
  console.table({ churn: result })
  console.log(`counts checked: ${stars.length + 20}, wrong: ${wrong}`)
  console.log(JSON.stringify({ scenario: 'follow-churn', ...result, countsChecked: stars.length + 20, countsWrong: wrong }))
} finally {
  await service.stop()
  await database.drop()
}
