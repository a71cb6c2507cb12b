/**
 * Logins under concurrency (each one an argon2id verification, 19 MiB, on libuv's pool), and
 * meanwhile the latency of GET /users/me: hashing must not hold the event loop.
 *   npx tsx bench/login-storm.ts
 */
import type autocannon from 'autocannon'
import { api, freshDatabase, load, startService } from './lib.js'

const SECONDS = Number(process.env.SECONDS ?? 8)
const USERS = 40

const database = await freshDatabase('bench_login')
const service = await startService({ DATABASE_URL: database.url })
try {
  const accounts = await Promise.all(Array.from({ length: USERS }, (_, i) =>
    api<{ token: string }>(service.base, 'POST', '/auth/register', { username: `storm${i}`, password: `password-${i}` })))
  const token = accounts[0]!.token

  const quiet = await load({ url: `${service.base}/users/me`, connections: 2, duration: 3, headers: { authorization: `Bearer ${token}` } })
  let n = 0
  const [storm, during] = await Promise.all([
    load({
      url: `${service.base}/auth/login`,
      method: 'POST',
      connections: 16,
      duration: SECONDS,
      headers: { 'content-type': 'application/json' },
      requests: [{
        setupRequest: (request: autocannon.Request) => {
          const i = n++ % USERS
          return { ...request, body: JSON.stringify({ username: `storm${i}`, password: `password-${i}` }) }
        },
      }],
    }),
    load({ url: `${service.base}/users/me`, connections: 2, duration: SECONDS, headers: { authorization: `Bearer ${token}` } }),
  ])
  console.log(`login-storm: POST /auth/login with 16 connections for ${SECONDS} s; GET /users/me on 2 connections alongside`)
  console.table({ logins: storm, 'GET /users/me, quiet': quiet, 'GET /users/me, during the storm': during })
  console.log(`GET /users/me p99 during the storm: ${during.p99} ms (target < 20 ms)`)
  console.log(JSON.stringify({ scenario: 'login-storm', loginsPerSecond: storm.requestsPerSecond, loginP99: storm.p99, loginErrors: storm.errors + storm.non2xx, meP99Quiet: quiet.p99, meP99During: during.p99 }))
} finally {
  await service.stop()
  await database.drop()
}
