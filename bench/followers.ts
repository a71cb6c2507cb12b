/**
 * Authenticated GET /users/:id/followers?limit=20 with many users' tokens, against the service
 * and against the floor (bench/floor/followers.ts) on the same database, alternated.
 *   npx tsx bench/followers.ts
 */
import type autocannon from 'autocannon'
import { freshDatabase, load, ratio, startService, type LoadResult } from './lib.js'
import { seedFollowers, seedUsers, tokenFor } from './seed.js'

const SECONDS = Number(process.env.SECONDS ?? 5)
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 20)
const ROUNDS = Number(process.env.ROUNDS ?? 2)

const database = await freshDatabase('bench_followers')
try {
  // The first start applies the migrations; the measured ones start on a migrated database.
  const service = await startService({ DATABASE_URL: database.url })
  await service.stop()
  const [star, ...fans] = await seedUsers(database.url, 1001, 'fan') as [number, ...number[]]
  await seedFollowers(database.url, star, fans)
  const tokens = fans.slice(0, 500).map((id) => `Bearer ${tokenFor(id)}`)
  let next = 0
  const scenario = (base: string): autocannon.Options => ({
    url: `${base}/users/${star}/followers?limit=20`,
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: [{ setupRequest: (request) => ({ ...request, headers: { ...request.headers, authorization: tokens[next++ % tokens.length]! } }) }],
  })

  const results: Record<string, LoadResult[]> = { service: [], floor: [] }
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, entry] of [['service', 'src/server.ts'], ['floor', 'bench/floor/followers.ts']] as const) {
      const running = await startService({ DATABASE_URL: database.url }, entry)
      try {
        await load({ ...scenario(running.base), duration: 1 })
        results[name]!.push(await load(scenario(running.base)))
      } finally {
        await running.stop()
      }
    }
  }
  const mean = (list: LoadResult[], key: keyof LoadResult) => Math.round(list.reduce((sum, r) => sum + r[key], 0) / list.length * 10) / 10
  const summary = Object.fromEntries(Object.entries(results).map(([name, list]) => [name, {
    requestsPerSecond: mean(list, 'requestsPerSecond'), p50: mean(list, 'p50'), p99: mean(list, 'p99'), errors: mean(list, 'errors'), non2xx: mean(list, 'non2xx'),
  }]))
  console.log(`followers: GET /users/{id}/followers?limit=20, ${tokens.length} users' tokens, ${CONNECTIONS} connections, ${ROUNDS} x ${SECONDS} s each`)
  console.table(summary)
  const serviceVsFloor = ratio(summary.service!.requestsPerSecond, summary.floor!.requestsPerSecond)
  console.log(`service / floor: ${serviceVsFloor} of the floor's requests/s (target >= 0.6)`)
  console.log(JSON.stringify({ scenario: 'followers', ...summary, serviceVsFloor }))
} finally {
  await database.drop()
}
