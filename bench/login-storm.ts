/**
 * Logins under concurrency (each one an argon2id verification, 19 MiB, on libuv's pool), and
 * meanwhile the latency of GET /users/me: hashing must not hold the event loop. Then overload:
 * logins offered at 5x the rate this machine hashes them (measured first, in the same run),
 * against the service as configured by default (shedding past SHED_WAIT) and against one with
 * shedding off, in turns: with shedding, a login whose hash has not started within SHED_WAIT
 * is a 503 by then (most at once, refused by the queue's length), so no login waits past
 * SHED_WAIT and its hash; without it, logins queue.
 *   npx tsx bench/login-storm.ts
 */
import autocannon from 'autocannon'
import { api, freshDatabase, load, ratio, startService } from './lib.js'

const SECONDS = Number(process.env.SECONDS ?? 8)
const USERS = 40
const OVERLOAD = 5
const SHED_WAIT_MS = 1000

const database = await freshDatabase('bench_login')
const service = await startService({ DATABASE_URL: database.url })
try {
  // One at a time: registrations hash too, and a burst of them would be shed.
  const accounts: Array<{ token: string }> = []
  for (let i = 0; i < USERS; i++) accounts.push(await api(service.base, 'POST', '/auth/register', { username: `storm${i}`, password: `password-${i}` }))
  const token = accounts[0]!.token

  const quiet = await load({ url: `${service.base}/users/me`, connections: 2, duration: 3, headers: { authorization: `Bearer ${token}` } })
  let n = 0
  const loginRequest = [{
    setupRequest: (request: autocannon.Request) => {
      const i = n++ % USERS
      return { ...request, body: JSON.stringify({ username: `storm${i}`, password: `password-${i}` }) }
    },
  }]
  const [storm, during] = await Promise.all([
    load({
      url: `${service.base}/auth/login`,
      method: 'POST',
      connections: 16,
      duration: SECONDS,
      headers: { 'content-type': 'application/json' },
      requests: loginRequest,
    }),
    load({ url: `${service.base}/users/me`, connections: 2, duration: SECONDS, headers: { authorization: `Bearer ${token}` } }),
  ])
  console.log(`login-storm: POST /auth/login with 16 connections for ${SECONDS} s; GET /users/me on 2 connections alongside`)
  console.table({ logins: storm, 'GET /users/me, quiet': quiet, 'GET /users/me, during the storm': during })
  console.log(`GET /users/me p99 during the storm: ${during.p99} ms (target < 20 ms)`)

  const offered = Math.max(1, Math.round(storm.requestsPerSecond * OVERLOAD))
  const overload = async (base: string) => {
    // The slowest answer of each kind: a login's hash waits at most SHED_WAIT to start, then takes its own time.
    const slowest = { admitted: 0, shed: 0 }
    const [logins, me] = await Promise.all([
      autocannon({
        url: `${base}/auth/login`, method: 'POST', connections: 200, overallRate: offered, duration: SECONDS, timeout: 60,
        headers: { 'content-type': 'application/json' }, requests: loginRequest,
        setupClient: (client) => client.on('response', (status: number, _bytes: number, ms: number) => {
          if (status === 200) slowest.admitted = Math.max(slowest.admitted, ms)
          else if (status === 503) slowest.shed = Math.max(slowest.shed, ms)
        }),
      }),
      load({ url: `${base}/users/me`, connections: 2, duration: SECONDS, headers: { authorization: `Bearer ${token}` } }),
    ])
    return {
      answeredPerSecond: Math.round(logins.requests.average), loggedIn: logins['2xx'], shed: logins.non2xx, timeouts: logins.errors + logins.timeouts,
      loginP99: logins.latency.p99, slowestLoggedIn: Math.round(slowest.admitted), slowestShed: Math.round(slowest.shed), meP99: me.p99,
    }
  }
  const unshed = await startService({ DATABASE_URL: database.url, SHED_WAIT: '0', SHED_EVENT_LOOP_DELAY: '0' })
  const turns: Record<string, Array<Awaited<ReturnType<typeof overload>>>> = { shedding: [], 'no shedding': [] }
  try {
    for (let round = 0; round < 2; round++) {
      turns.shedding!.push(await overload(service.base))
      turns['no shedding']!.push(await overload(unshed.base))
    }
  } finally {
    await unshed.stop()
  }
  const worst = (list: Array<Record<string, number>>) => Object.fromEntries(Object.keys(list[0]!).map((key) => [key, Math.max(...list.map((entry) => entry[key]!))]))
  const shedding = worst(turns.shedding!)
  const queued = worst(turns['no shedding']!)
  console.log(`overload: logins offered at ${offered}/s (${OVERLOAD}x the ${storm.requestsPerSecond}/s hashed above) for ${SECONDS} s, 2 turns each (worst of the two shown)`)
  console.table({ shedding, 'no shedding': queued })
  console.log(`slowest successful login, shedding / no shedding: ${ratio(shedding.slowestLoggedIn!, queued.slowestLoggedIn!)}; with shedding ${shedding.slowestLoggedIn} ms ` +
    `(SHED_WAIT ${SHED_WAIT_MS} ms to start its hash, then the hash), the slowest 503 ${shedding.slowestShed} ms`)
  console.log(`GET /users/me p99 at ${OVERLOAD}x, shedding: ${shedding.meP99} ms (quiet ${quiet.p99} ms)`)
  console.log(JSON.stringify({
    scenario: 'login-storm', loginsPerSecond: storm.requestsPerSecond, loginP99: storm.p99, loginErrors: storm.errors + storm.non2xx, meP99Quiet: quiet.p99, meP99During: during.p99,
    overloadOffered: offered, shedding, noShedding: queued,
  }))
} finally {
  await service.stop()
  await database.drop()
}
