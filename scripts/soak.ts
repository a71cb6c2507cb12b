/**
 * npm run soak: chat, follows and uploads together against a real server process for a few
 * minutes (SOAK_SECONDS, default 180), printing the server's RSS, heap and open handles every
 * SOAK_EVERY seconds (default 10), then a verdict on growth once warm. Loopback only; it stops
 * by itself. On embedded PGlite in a temp directory, or on a fresh database of DATABASE_URL.
 */
import { fork } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import postgres from 'postgres'
import sharp from 'sharp'
import WebSocket from 'ws'

const seconds = Number(process.env.SOAK_SECONDS ?? 180)
const every = Number(process.env.SOAK_EVERY ?? 10)
const pairs = Number(process.env.SOAK_PAIRS ?? 10)
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function freePort() {
  const server = createServer().listen(0, '127.0.0.1')
  await new Promise((resolve) => server.once('listening', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

const dir = mkdtempSync(join(tmpdir(), 'social-api-soak-'))
let database: string | undefined
if (process.env.DATABASE_URL) {
  database = `soak_${randomBytes(4).toString('hex')}`
  const admin = postgres(process.env.DATABASE_URL, { max: 1, onnotice: () => {} })
  await admin.unsafe(`create database ${database}`)
  await admin.end()
}
const databaseUrl = database && Object.assign(new URL(process.env.DATABASE_URL as string), { pathname: `/${database}` }).href

const port = await freePort()
const base = `http://127.0.0.1:${port}`
const { DATABASE_URL: _unset, ...inherited } = process.env
const server = fork('src/server.ts', [], {
  execArgv: ['--import', 'tsx', '--import', './scripts/soak-probe.ts'],
  env: {
    ...inherited, NODE_ENV: 'development', LOG_LEVEL: 'warn', HOST: '127.0.0.1', PORT: String(port),
    DATA_DIR: join(dir, 'data'), UPLOAD_DIR: join(dir, 'images'), JWT_SECRET: randomBytes(32).toString('hex'),
    RATE_LIMIT_REGISTER: '0', RATE_LIMIT_LOGIN: '0', CHAT_RATE_LIMIT: '0', ...(databaseUrl && { DATABASE_URL: databaseUrl }),
  },
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
})
interface Sample { rss: number, heapUsed: number, external: number, handles: number }
let latest: Sample | undefined
server.on('message', (sample: Sample) => { latest = sample })

async function cleanup() {
  server.kill('SIGTERM')
  await new Promise((resolve) => server.once('exit', resolve))
  rmSync(dir, { recursive: true, force: true })
  if (database) {
    const admin = postgres(process.env.DATABASE_URL as string, { max: 1, onnotice: () => {} })
    await admin.unsafe(`drop database if exists ${database} with (force)`)
    await admin.end()
  }
}

for (let i = 0; !(await fetch(`${base}/health`).then((r) => r.ok, () => false)); i++) {
  if (i > 300) throw new Error('the server did not come up')
  await sleep(100)
}

const json = (method: string, path: string, body?: unknown, token?: string) => fetch(`${base}${path}`, {
  method,
  headers: { ...(body !== undefined && { 'content-type': 'application/json' }), ...(token && { authorization: `Bearer ${token}` }) },
  body: body === undefined ? undefined : JSON.stringify(body),
})

const users: Array<{ id: number, token: string }> = []
for (let i = 0; i < pairs * 2; i++) {
  const response = await json('POST', '/auth/register', { username: `soak_${i}`, password: 'password123' })
  const { user, token } = await response.json() as { user: { id: number }, token: string }
  users.push({ id: user.id, token })
}
for (let i = 0; i < users.length; i += 2) {
  await json('PUT', `/users/${users[i + 1]!.id}/follow`, undefined, users[i]!.token)
  await json('PUT', `/users/${users[i]!.id}/follow`, undefined, users[i + 1]!.token)
}
const picture = await sharp({ create: { width: 256, height: 256, channels: 3, background: { r: 200, g: 80, b: 40 } } }).png().toBuffer()

const counts = { messages: 0, acks: 0, follows: 0, uploads: 0, reconnects: 0, failures: 0 }
let running = true

/** Each user keeps one socket, sends to their partner, and reconnects now and then. */
async function chatter(index: number) {
  const me = users[index]!
  const partner = users[index ^ 1]!
  while (running) {
    const socket = new WebSocket(`${base.replace('http:', 'ws:')}/chat`, { headers: { authorization: `Bearer ${me.token}` } })
    socket.on('message', (data) => { if (String(data).startsWith('{"type":"ack"')) counts.acks++ })
    socket.on('error', () => { counts.failures++ })
    await new Promise((resolve) => { socket.once('open', resolve); socket.once('close', resolve) })
    const lifetime = Date.now() + 20_000 + Math.random() * 20_000
    while (running && socket.readyState === WebSocket.OPEN && Date.now() < lifetime) {
      socket.send(JSON.stringify({ recipientId: partner.id, messageText: `soak ${counts.messages++}`, clientMessageId: randomBytes(8).toString('hex') }))
      await sleep(150 + Math.random() * 100)
    }
    socket.close()
    counts.reconnects++
  }
}

async function followChurn() {
  while (running) {
    const from = users[Math.floor(Math.random() * users.length)]!
    const to = users[Math.floor(Math.random() * users.length)]!
    // Partners stay mutual so their chat goes on; anyone else is followed and unfollowed.
    if (from !== to && (users.indexOf(from) ^ 1) !== users.indexOf(to)) {
      await json(Math.random() < 0.5 ? 'PUT' : 'DELETE', `/users/${to.id}/follow`, undefined, from.token)
      await json('GET', `/users/${to.id}/followers?limit=20`, undefined, from.token)
      counts.follows++
    }
    await sleep(50)
  }
}

async function uploads() {
  while (running) {
    const user = users[Math.floor(Math.random() * users.length)]!
    const form = new FormData()
    form.append('profilePicture', new Blob([picture], { type: 'image/png' }), 'me.png')
    const response = await fetch(`${base}/users/me/profile-picture`, { method: 'PUT', body: form, headers: { authorization: `Bearer ${user.token}` } })
    if (response.status === 200) counts.uploads++
    else counts.failures++
    await response.arrayBuffer()
    await sleep(500)
  }
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1)
console.log(`soak: ${seconds} s, ${pairs * 2} chatting users, follow churn and uploads against ${base} (${databaseUrl ? 'PostgreSQL' : 'PGlite'})`)
console.log('  time   rss MB  heap MB  ext MB  handles  messages   acks  follows  uploads  failures')
const workers = [...users.map((_, index) => chatter(index)), followChurn(), uploads()]
const samples: Sample[] = []
const started = Date.now()
while (Date.now() - started < seconds * 1000) {
  await sleep(every * 1000)
  if (!latest) continue
  samples.push(latest)
  const { rss, heapUsed, external, handles } = latest
  console.log(`${String(Math.round((Date.now() - started) / 1000)).padStart(5)} s ${mb(rss).padStart(8)} ${mb(heapUsed).padStart(8)} ${mb(external).padStart(7)} ${String(handles).padStart(8)}` +
    ` ${String(counts.messages).padStart(9)} ${String(counts.acks).padStart(6)} ${String(counts.follows).padStart(8)} ${String(counts.uploads).padStart(8)} ${String(counts.failures).padStart(9)}`)
}
running = false
await Promise.race([Promise.all(workers), sleep(5000)])
await cleanup()

// Warm once a third of the run is over: compare the median of the first warm third with the last third.
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0
const third = Math.floor(samples.length / 3)
if (third < 1) {
  console.log('verdict: too short to judge (run at least 3 samples: SOAK_SECONDS >= 3 * SOAK_EVERY)')
  process.exit(0)
}
const early = samples.slice(third, 2 * third)
const late = samples.slice(2 * third)
const growth = (pick: (sample: Sample) => number) => median(late.map(pick)) - median(early.map(pick))
const rssGrowth = growth((sample) => sample.rss)
const heapGrowth = growth((sample) => sample.heapUsed)
const handleGrowth = growth((sample) => sample.handles)
const flat = rssGrowth < 32 * 1024 * 1024 && heapGrowth < 16 * 1024 * 1024 && handleGrowth <= 10
console.log(`verdict: ${flat ? 'flat (ok)' : 'GROWING'} once warm: rss ${rssGrowth >= 0 ? '+' : ''}${mb(rssGrowth)} MB, heap ${heapGrowth >= 0 ? '+' : ''}${mb(heapGrowth)} MB, handles ${handleGrowth >= 0 ? '+' : ''}${handleGrowth} (limits: 32 MB, 16 MB, 10)`)
process.exit(flat ? 0 : 1)
