import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import postgres from 'postgres'
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

/** The production app, configured through the same loadConfig as the server. */
export async function buildTestApp(t: Test, env: Record<string, string> = {}, options: BuildOptions = {}): Promise<App> {
  const dir = tempDir(t)
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    JWT_SECRET: TEST_SECRET,
    DATA_DIR: join(dir, 'data'),
    UPLOAD_DIR: join(dir, 'images'),
    // Tests register many users from one address; the rate-limit tests turn the limits back on.
    RATE_LIMIT_REGISTER: '0',
    RATE_LIMIT_LOGIN: '0',
    DATABASE_URL: env.DATABASE_URL ?? await createTestDatabase(t),
    ...env,
  })
  const app = await buildApp(config, options)
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
  return { ...body.user, token: body.token, password, auth: { authorization: `Bearer ${body.token}` } }
}
