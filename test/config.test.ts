import t from 'tap'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { ConfigError, loadConfig, parseRate } from '../src/config.js'
import { tempDir } from './helper.js'

const secret = 'x'.repeat(32)

t.test('defaults', async (t) => {
  const dataDir = tempDir(t)
  const config = loadConfig({ DATA_DIR: dataDir })
  t.equal(config.port, 3000)
  t.equal(config.host, '0.0.0.0')
  t.same(config.database, { pgliteDir: join(dataDir, 'pglite') }, 'embedded PGlite in DATA_DIR by default')
  t.equal(config.jwt.expiresInSeconds, 86400)
  t.same(config.rateLimits, {
    login: { max: 10, windowMs: 15 * 60_000 },
    register: { max: 30, windowMs: 3_600_000 },
    chat: { max: 10, windowMs: 1000 },
  })
  t.equal(config.uploads.maxBytes, 5 * 1024 * 1024)
  t.match(config.pictures.store, { dir: /public\/images$/ })
  t.equal(config.trustProxy, false)
  t.equal(config.redis, null)
  t.equal(config.logLevel, 'info')
})

t.test('a missing secret outside production is generated once and kept in DATA_DIR', async (t) => {
  const dataDir = join(tempDir(t), 'nested', 'data')
  const first = loadConfig({ DATA_DIR: dataDir })
  const file = join(dataDir, 'jwt-secret')
  t.ok(existsSync(file))
  t.equal(statSync(file).mode & 0o777, 0o600, 'readable by its owner only')
  t.equal(Buffer.from(first.jwt.secret, 'base64url').length, 32, '256 bits')
  t.equal(readFileSync(file, 'utf8'), first.jwt.secret)
  t.equal(loadConfig({ DATA_DIR: dataDir }).jwt.secret, first.jwt.secret, 'the same after a restart')
})

t.test('production needs a JWT_SECRET of at least 32 bytes', async (t) => {
  t.throws(() => loadConfig({ NODE_ENV: 'production' }), new ConfigError('JWT_SECRET: required when NODE_ENV=production'))
  t.throws(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'short' }), { name: 'ConfigError', message: /JWT_SECRET: must be at least 32 bytes/ })
  t.equal(loadConfig({ NODE_ENV: 'production', JWT_SECRET: secret }).jwt.secret, secret)
  t.equal(loadConfig({ NODE_ENV: 'production', JWT_SECRET: secret }).production, true)
})

t.test('bad values give one line naming the variable', async (t) => {
  const cases: Array<[Record<string, string>, RegExp]> = [
    [{ PORT: 'abc' }, /^PORT: /],
    [{ PORT: '70000' }, /^PORT: /],
    [{ DB_PORT: 'x' }, /^DB_PORT: /],
    [{ DATABASE_URL: 'mysql://x' }, /^DATABASE_URL: /],
    [{ JWT_EXPIRES_IN: 'forever' }, /^JWT_EXPIRES_IN: /],
    [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL: /],
    [{ RATE_LIMIT_LOGIN: '10' }, /^RATE_LIMIT_LOGIN: /],
    [{ CHAT_RATE_LIMIT: '10/fortnight' }, /^CHAT_RATE_LIMIT: /],
    [{ MAX_UPLOAD_BYTES: '0' }, /^MAX_UPLOAD_BYTES: /],
    [{ NODE_ENV: 'staging' }, /^NODE_ENV: /],
    [{ REDIS_URL: 'localhost:6379' }, /^REDIS_URL: /],
  ]
  for (const [env, message] of cases) {
    const error = t.throws(() => loadConfig({ JWT_SECRET: secret, ...env })) as Error
    t.type(error, ConfigError)
    t.match(error.message, message)
    t.notMatch(error.message, /\n/, 'one line')
  }
})

t.test('database settings', async (t) => {
  t.same(loadConfig({ JWT_SECRET: secret, DATABASE_URL: 'postgres://u@h:5432/d' }).database, { url: 'postgres://u@h:5432/d' })
  t.same(loadConfig({ JWT_SECRET: secret, DATABASE_URL: 'memory://' }).database, { pgliteDir: null })
  t.same(
    loadConfig({ JWT_SECRET: secret, DB_HOST: 'db.internal', DB_PORT: '6543', DB_USER: 'app', DB_PASSWORD: 'p@ss word', DB_NAME: 'social' }).database,
    { url: 'postgres://app:p%40ss%20word@db.internal:6543/social' },
    "the old service's DB_* variables",
  )
  t.same(
    loadConfig({ JWT_SECRET: secret, DATABASE_URL: 'postgres://u@a/d', DB_HOST: 'b' }).database,
    { url: 'postgres://u@a/d' },
    'DATABASE_URL wins over DB_*',
  )
})

t.test('other settings', async (t) => {
  const config = loadConfig({
    JWT_SECRET: secret, PORT: '8080', RATE_LIMIT_LOGIN: '0', CHAT_RATE_LIMIT: '5/500ms', TRUST_PROXY: '10.0.0.0/8,127.0.0.1',
    ALLOWED_ORIGINS: 'https://a.example, https://b.example', JWT_EXPIRES_IN: '15m', EMPTY: '', PORT_UNUSED: 'x',
  })
  t.equal(config.port, 8080)
  t.equal(config.rateLimits.login, null, '0 turns a limit off')
  t.same(config.rateLimits.chat, { max: 5, windowMs: 500 })
  t.equal(config.trustProxy, '10.0.0.0/8,127.0.0.1')
  t.equal(loadConfig({ JWT_SECRET: secret, TRUST_PROXY: 'true' }).trustProxy, true)
  t.same(config.allowedOrigins, ['https://a.example', 'https://b.example'])
  t.equal(config.jwt.expiresInSeconds, 900)
  t.equal(loadConfig({ JWT_SECRET: secret, PORT: '' }).port, 3000, 'an empty variable counts as unset')
  t.same(parseRate('30/1h'), { max: 30, windowMs: 3_600_000 })
})
