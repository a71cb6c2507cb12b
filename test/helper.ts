import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import postgres from 'postgres'
import type { DestinationStream } from 'pino'
import tap from 'tap'
import { buildApp, type App, type BuildOptions } from '../src/app.js'
import { loadConfig } from '../src/config.js'

type Test = { teardown(fn: () => unknown): void }

export const TEST_SECRET = 'test-secret-that-is-at-least-32-bytes-long'

/** Against a server when DATABASE_URL is set (a fresh database per call), else in-memory PGlite. */
export async function createTestDatabase(t: Test): Promise<string> {
  const serverUrl = process.env.DATABASE_URL
  if (!serverUrl) return 'memory://'
  const name = `test_${randomBytes(6).toString('hex')}`
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} })
  await admin.unsafe(`create database ${name}`)
  await admin.end()
  t.teardown(async () => {
    const admin = postgres(serverUrl, { max: 1, onnotice: () => {} })
    await admin.unsafe(`drop database if exists ${name} with (force)`)
    await admin.end()
  })
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return url.href
}

export function tempDir(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'social-api-test-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/**
 * Every app a test file builds logs into memory (at info unless the test asks for another
 * level), and when the file ends the whole log is searched for the passwords and tokens that
 * register() handed out, and for anything shaped like a JWT: a secret in any log line of any
 * test fails the file that logged it.
 */
const capturedLog: string[] = []
const secrets = { passwords: new Set<string>(), tokens: new Set<string>() }
let leakCheckArmed = false

function captureInto(given: DestinationStream | undefined): DestinationStream {
  if (!leakCheckArmed) {
    leakCheckArmed = true
    tap.teardown(() => {
      const leaks = secretsInLog(capturedLog.join(''))
      // The root test has ended by now, so a leak fails the file with an error rather than an assertion.
      if (leaks.length > 0) {
        console.error(`secrets in the log: ${leaks.join('; ')}`)
        tap.fail(`secrets in the log: ${leaks.join('; ')}`)
      }
    })
  }
  return {
    write(line: string) {
      capturedLog.push(line)
      given?.write(line)
    }
  }
}

const jwtShape = /eyJ[\w-]{8,}\.[\w-]*\.[\w-]*/g

/** What the log holds of the secrets handed out: one string per leak, shortened so the report leaks nothing whole. */
export function secretsInLog(log: string): string[] {
  const leaks: string[] = []
  const hint = (secret: string) => `${secret.slice(0, 6)}…(${secret.length} chars)`
  for (const password of secrets.passwords) if (log.includes(password)) leaks.push(`password ${hint(password)}`)
  // A token's parts are runs of base64url characters, so one split finds every part that was logged.
  const signatures = new Set([...secrets.tokens].map((token) => token.split('.')[2]))
  for (const run of log.split(/[^\w-]+/)) {
    if (run.length >= 40 && signatures.has(run)) leaks.push(`token signature ${hint(run)}`)
  }
  for (const [token] of log.matchAll(jwtShape)) leaks.push(`a JWT ${hint(token)}`)
  return leaks
}

/** The production app, configured through the same loadConfig as the server. */
export async function buildTestApp(t: Test, env: Record<string, string> = {}, options: BuildOptions = {}): Promise<App> {
  const dir = tempDir(t)
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    JWT_SECRET: TEST_SECRET,
    DATA_DIR: join(dir, 'data'),
    UPLOAD_DIR: join(dir, 'images'),
    // Tests register many users from one address; the rate-limit tests turn the limits back on.
    RATE_LIMIT_REGISTER: '0',
    RATE_LIMIT_LOGIN: '0',
    // A loaded machine running many test files trips the load bounds by itself (the first sample
    // covers the app's start); test/overload.test.ts turns them back on.
    SHED_EVENT_LOOP_DELAY: '0',
    SHED_WAIT: '0',
    CHAT_UPGRADE_FAILURES: '0',
    DATABASE_URL: env.DATABASE_URL ?? await createTestDatabase(t),
    ...env,
  })
  const app = await buildApp(config, { ...options, logStream: captureInto(options.logStream) })
  t.teardown(() => app.close())
  return app
}

let counter = 0
/** Unique, valid usernames within a test file. */
export const uniqueName = (prefix = 'user') => `${prefix}_${process.pid % 10000}_${++counter}`

export async function register(app: App, username = uniqueName(), password = 'password123') {
  const response = await app.inject({ method: 'POST', url: '/auth/register', payload: { username, password } })
  if (response.statusCode !== 201) throw new Error(`register ${username}: ${response.statusCode} ${response.body}`)
  const body = response.json() as { user: { id: number, username: string }, token: string }
  secrets.passwords.add(password)
  secrets.tokens.add(body.token)
  return { ...body.user, token: body.token, password, auth: { authorization: `Bearer ${body.token}` } }
}

/**
 * The environment for a child process that runs the sources (a real server, drizzle-kit).
 * tap instruments children for coverage through NODE_OPTIONS, but they load the sources through
 * tsx, whose transpiled offsets differ from tap's: merged, the two corrupt the coverage report
 * (functions every test runs show as never called). Children are therefore left uninstrumented.
 */
export function childProcessEnv(env: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(Object.entries(process.env)
    .filter(([name]) => name !== 'NODE_OPTIONS' && !name.startsWith('_TAPJS_PROCESSINFO')))
  return { ...inherited, ...env }
}

/** A port nothing listens on right now, for a server a test starts in another process. */
export async function freePort() {
  const server = createServer().listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as { port: number }
  server.close()
  return port
}
