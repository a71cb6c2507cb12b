/**
 * Authenticated GET /users/:id/followers?limit=20 with many users' tokens, against the service
 * and against the floor (bench/floor/followers.ts) on the same database, alternated.
 *   npx tsx bench/followers.ts
 *   BASELINE=/work/wt/bench-old npx tsx bench/followers.ts: against another checkout's service
 *     instead of the floor, on a database that checkout's server migrated, seeded alike
 */
import type autocannon from 'autocannon'
import { BASELINE, commitOf, freshDatabase, load, load1, ratio, startService, type LoadResult } from './lib.js'
import { seedFollowers, seedUsers, tokenFor } from './seed.js'

const SECONDS = Number(process.env.SECONDS ?? 5)
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 20)
const ROUNDS = Number(process.env.ROUNDS ?? 2)

const database = await freshDatabase('bench_followers')
const baselineDatabase = BASELINE ? await freshDatabase('bench_followers') : undefined
try {
  // The first start applies the migrations (each checkout its own); the measured ones start on a migrated database.
  const seed = async (url: string, checkout?: string) => {
    const service = await startService({ DATABASE_URL: url }, 'src/server.ts', [], checkout)
    await service.stop()
    const [star, ...fans] = await seedUsers(url, 1001, 'fan') as [number, ...number[]]
    await seedFollowers(url, star, fans)
    return [star, ...fans] as const
  }
  const [star, ...fans] = await seed(database.url)
  if (baselineDatabase && (await seed(baselineDatabase.url, BASELINE)).join() !== [star, ...fans].join()) throw new Error('the two databases were seeded with different ids')
  const tokens = fans.slice(0, 500).map((id) => `Bearer ${tokenFor(id)}`)
  let next = 0
  const scenario = (base: string): autocannon.Options => ({
    url: `${base}/users/${star}/followers?limit=20`,
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: [{ setupRequest: (request) => ({ ...request, headers: { ...request.headers, authorization: tokens[next++ % tokens.length]! } }) }],
  })

  const contenders = BASELINE && baselineDatabase
    ? [{ name: 'service', entry: 'src/server.ts', url: database.url }, { name: 'baseline', entry: 'src/server.ts', url: baselineDatabase.url, checkout: BASELINE }]
    : [{ name: 'service', entry: 'src/server.ts', url: database.url }, { name: 'floor', entry: 'bench/floor/followers.ts', url: database.url }]
  const results: Record<string, LoadResult[]> = Object.fromEntries(contenders.map(({ name }) => [name, []]))
  const loads: Record<string, number[]> = Object.fromEntries(contenders.map(({ name }) => [name, []]))
  for (let round = 0; round < ROUNDS; round++) {
    // A, B, then B, A: neither always goes first.
    for (const { name, entry, url, checkout } of round % 2 === 0 ? contenders : [...contenders].reverse()) {
      const running = await startService({ DATABASE_URL: url }, entry, [], checkout)
      try {
        await load({ ...scenario(running.base), duration: 1 })
        loads[name]!.push(load1())
        const result = await load(scenario(running.base))
        console.log(`${name.padEnd(8)} round ${round + 1}: ${result.requestsPerSecond} req/s, p99 ${result.p99} ms, non-2xx ${result.non2xx}, load average ${loads[name]!.at(-1)} -> ${load1()}`)
        results[name]!.push(result)
      } finally {
        await running.stop()
      }
    }
  }
  const mean = (list: LoadResult[], key: keyof LoadResult) => Math.round(list.reduce((sum, r) => sum + r[key], 0) / list.length * 10) / 10
  const summary = Object.fromEntries(Object.entries(results).map(([name, list]) => [name, {
    requestsPerSecond: mean(list, 'requestsPerSecond'),
    // A turn that another developer's burst hit drags the mean: the median of the turns is the steadier figure.
    medianRequestsPerSecond: list.map((r) => r.requestsPerSecond).sort((a, b) => a - b)[Math.floor(list.length / 2)]!,
    p50: mean(list, 'p50'), p99: mean(list, 'p99'), errors: mean(list, 'errors'), non2xx: mean(list, 'non2xx'),
  }]))
  console.log(`followers: GET /users/{id}/followers?limit=20, ${tokens.length} users' tokens, ${CONNECTIONS} connections, ${ROUNDS} x ${SECONDS} s each`)
  console.table(summary)
  if (BASELINE) {
    const serviceVsBaseline = ratio(summary.service!.requestsPerSecond, summary.baseline!.requestsPerSecond)
    const medianRatio = ratio(summary.service!.medianRequestsPerSecond, summary.baseline!.medianRequestsPerSecond)
    // The two turns of a round ran back to back: their ratio, round by round, sees the least of others' bursts.
    const roundRatios = results.service!.map((result, round) => ratio(result.requestsPerSecond, results.baseline![round]!.requestsPerSecond))
    // Geometric mean: the rounds alternate who goes first (A B, B A), and an order effect cancels in it.
    const roundsGeomean = Math.round(Math.exp(roundRatios.reduce((sum, r) => sum + Math.log(r), 0) / roundRatios.length) * 100) / 100
    console.log(`service / baseline round by round: ${roundRatios.join(', ')} (geometric mean ${roundsGeomean})`)
    console.log(`this: ${commitOf()}\nbaseline: ${commitOf(BASELINE)}`)
    console.log(`service / baseline: ${serviceVsBaseline} of the baseline's requests/s (medians: ${medianRatio}; loads ${loads.service!.join('/')} vs ${loads.baseline!.join('/')})`)
    console.log(JSON.stringify({ scenario: 'followers', mode: 'baseline', commits: { this: commitOf(), baseline: commitOf(BASELINE) }, ...summary, loads, serviceVsBaseline, medianRatio, roundRatios, roundsGeomean }))
  } else {
    const serviceVsFloor = ratio(summary.service!.requestsPerSecond, summary.floor!.requestsPerSecond)
    console.log(`service / floor: ${serviceVsFloor} of the floor's requests/s (target >= 0.6)`)
    console.log(JSON.stringify({ scenario: 'followers', ...summary, loads, serviceVsFloor }))
  }
} finally {
  await database.drop()
  await baselineDatabase?.drop()
}
