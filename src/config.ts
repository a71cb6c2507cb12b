import { randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { Type, type Static } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import type { PictureStoreTarget } from './plugins/picture-storage.js'
import type { RedisTarget } from './plugins/redis.js'

const Duration = Type.String({ pattern: '^[1-9][0-9]*(ms|s|m|h)$' })
const Rate = Type.String({ pattern: '^(0|[1-9][0-9]*/[1-9][0-9]*(ms|s|m|h|d))$' })

export const EnvSchema = Type.Object({
  NODE_ENV: Type.Union([Type.Literal('development'), Type.Literal('production'), Type.Literal('test')], { default: 'development' }),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
  HOST: Type.String({ minLength: 1, default: '0.0.0.0' }),
  DATABASE_URL: Type.Optional(Type.String({ pattern: '^(postgres(ql)?://.+|memory://)$' })),
  DB_HOST: Type.Optional(Type.String({ minLength: 1 })),
  DB_PORT: Type.Integer({ minimum: 1, maximum: 65535, default: 5432 }),
  DB_USER: Type.Optional(Type.String({ minLength: 1 })),
  DB_PASSWORD: Type.Optional(Type.String()),
  DB_NAME: Type.Optional(Type.String({ minLength: 1 })),
  DATA_DIR: Type.String({ minLength: 1, default: './data' }),
  // false: a job applies the migrations; the server only checks that none is pending.
  MIGRATE: Type.Boolean({ default: true }),
  JWT_SECRET: Type.Optional(Type.String({ minLength: 1 })),
  JWT_EXPIRES_IN: Type.String({ pattern: '^[1-9][0-9]*(s|m|h|d)$', default: '24h' }),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((level) => Type.Literal(level)),
    { default: 'info' },
  ),
  RATE_LIMIT_LOGIN: Type.String({ ...Rate, default: '10/15m' }),
  RATE_LIMIT_REGISTER: Type.String({ ...Rate, default: '30/1h' }),
  CHAT_RATE_LIMIT: Type.String({ ...Rate, default: '10/1s' }),
  // A user whose last chat socket closed is announced offline after this, unless back by then.
  PRESENCE_GRACE: Type.String({ pattern: '^[0-9]+(ms|s|m)$', default: '3s' }),
  // With Redis: a process that stops beating for this long (it died) takes its users offline.
  PRESENCE_TTL: Type.String({ pattern: '^[1-9][0-9]*(ms|s|m)$', default: '20s' }),
  CHAT_SOCKETS_PER_USER: Type.Integer({ minimum: 1, default: 10 }),
  CHAT_UPGRADE_FAILURES: Type.String({ ...Rate, default: '30/1m' }),
  TRUST_PROXY: Type.Optional(Type.String({ minLength: 1 })),
  UPLOAD_DIR: Type.String({ minLength: 1, default: 'public/images' }),
  MAX_UPLOAD_BYTES: Type.Integer({ minimum: 1, default: 5 * 1024 * 1024 }),
  BODY_TIMEOUT: Type.String({ ...Duration, default: '10s' }),
  UPLOAD_TIMEOUT: Type.String({ ...Duration, default: '2m' }),
  UPLOAD_QUEUE: Type.Integer({ minimum: 1, default: 16 }),
  // Set: pictures go to this S3-compatible bucket instead of UPLOAD_DIR. The AWS_* names are the SDK's own.
  S3_BUCKET: Type.Optional(Type.String({ minLength: 3, maxLength: 63, pattern: '^[a-z0-9][a-z0-9.-]*[a-z0-9]$' })),
  S3_FORCE_PATH_STYLE: Type.Boolean({ default: false }),
  AWS_REGION: Type.Optional(Type.String({ minLength: 1 })),
  AWS_ENDPOINT_URL_S3: Type.Optional(Type.String({ pattern: '^https?://' })),
  AWS_ACCESS_KEY_ID: Type.Optional(Type.String({ minLength: 1 })),
  AWS_SECRET_ACCESS_KEY: Type.Optional(Type.String({ minLength: 1 })),
  // A CDN or public bucket serving the pictures: profilePictureUrl becomes it plus the name.
  PUBLIC_IMAGES_BASE_URL: Type.Optional(Type.String({ pattern: '^https?://[^\\s?#]+$' })),
  REDIS_URL: Type.Optional(Type.String({ pattern: '^rediss?://' })),
  // host:port,host:port,...: some nodes of a Redis Cluster (ioredis discovers the others).
  REDIS_CLUSTER_NODES: Type.Optional(Type.String({ pattern: '^[^,:\\s]+:[0-9]{1,5}(,[^,:\\s]+:[0-9]{1,5})*$' })),
  // Pub/sub channels ignore Redis's database number: deployments sharing a Redis tell their keys and channels apart by this.
  REDIS_PREFIX: Type.String({ pattern: '^[A-Za-z0-9_.:-]{1,64}$', default: 'social-api' }),
  ALLOWED_ORIGINS: Type.Optional(Type.String()),
  // The origin browsers reach this service at (https://api.example.com); without it the Host header stands in.
  PUBLIC_ORIGIN: Type.Optional(Type.String({ pattern: '^https?://[^/?#]+$' })),
  // Load shedding (503 with Retry-After at once): the event loop's mean lag over a sample, and the
  // longest a request may wait for a database connection or a password hash; 0 turns one off.
  SHED_EVENT_LOOP_DELAY: Type.String({ pattern: '^(0|[1-9][0-9]*(ms|s))$', default: '200ms' }),
  SHED_WAIT: Type.String({ pattern: '^(0|[1-9][0-9]*(ms|s))$', default: '1s' }),
  SHED_SAMPLE: Type.String({ pattern: '^[1-9][0-9]*(ms|s)$', default: '1s' }),
  SHED_RETRY_AFTER: Type.Integer({ minimum: 1, maximum: 3600, default: 5 }),
  // Set: GET /metrics answers Authorization: Bearer <METRICS_TOKEN> from anywhere; unset: the loopback address only.
  METRICS_TOKEN: Type.Optional(Type.String({ minLength: 16 })),
})
export type Env = Static<typeof EnvSchema>

export class ConfigError extends Error {
  override name = 'ConfigError'
}

const unitMs = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const

export function durationMs(duration: string): number {
  const [, amount, unit] = /^(\d+)(ms|s|m|h|d)$/.exec(duration) ?? []
  return Number(amount) * unitMs[unit as keyof typeof unitMs]
}

/** "10/15m" -> 10 per 15 minutes; "0" -> no limit. */
export function parseRate(rate: string): { max: number, windowMs: number } | null {
  if (rate === '0') return null
  const [max, window] = rate.split('/') as [string, string]
  return { max: Number(max), windowMs: durationMs(window) }
}

/** "true" trusts any proxy; otherwise a comma-separated list of proxy addresses or CIDRs. */
function parseTrustProxy(value: string | undefined): boolean | string {
  if (value === undefined || value === 'false') return false
  return value === 'true' ? true : value
}

type DatabaseSettings = { url: string } | { pgliteDir: string | null }

function databaseFrom(env: Env): DatabaseSettings {
  if (env.DATABASE_URL === 'memory://') return { pgliteDir: null }
  if (env.DATABASE_URL) return { url: env.DATABASE_URL }
  if (env.DB_HOST) {
    const url = new URL('postgres://')
    url.hostname = env.DB_HOST
    url.port = String(env.DB_PORT)
    url.username = env.DB_USER ?? 'postgres'
    url.password = env.DB_PASSWORD ?? ''
    url.pathname = `/${env.DB_NAME ?? 'postgres'}`
    return { url: url.href }
  }
  return { pgliteDir: join(resolve(env.DATA_DIR), 'pglite') }
}

/**
 * The database the server would open with these settings, for tools that must find the same one
 * (drizzle-kit's npm run migration:run): DATABASE_URL, else the seed's DB_* keys, else PGlite.
 */
export const databaseOf = (raw: Record<string, string | undefined>): DatabaseSettings => databaseFrom(validate(raw))

function redisFrom(env: Env): RedisTarget | null {
  if (env.REDIS_URL && env.REDIS_CLUSTER_NODES) throw new ConfigError('REDIS_CLUSTER_NODES: set either it or REDIS_URL, not both')
  if (env.REDIS_URL) return { url: env.REDIS_URL }
  if (!env.REDIS_CLUSTER_NODES) return null
  return {
    clusterNodes: env.REDIS_CLUSTER_NODES.split(',').map((node) => {
      const [host, port] = node.split(':') as [string, string]
      return { host, port: Number(port) }
    }),
  }
}

function pictureStoreFrom(env: Env): PictureStoreTarget {
  if (!env.S3_BUCKET) return { dir: resolve(env.UPLOAD_DIR) }
  if ((env.AWS_ACCESS_KEY_ID === undefined) !== (env.AWS_SECRET_ACCESS_KEY === undefined)) {
    throw new ConfigError('AWS_SECRET_ACCESS_KEY: set both it and AWS_ACCESS_KEY_ID, or neither (the SDK then finds credentials itself)')
  }
  return {
    s3: {
      bucket: env.S3_BUCKET,
      forcePathStyle: env.S3_FORCE_PATH_STYLE,
      ...(env.AWS_REGION && { region: env.AWS_REGION }),
      ...(env.AWS_ENDPOINT_URL_S3 && { endpoint: env.AWS_ENDPOINT_URL_S3 }),
      ...(env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY && {
        credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY },
      }),
    },
  }
}

const publicBaseFrom = (base: string | undefined) => (base === undefined ? '/images/' : base.endsWith('/') ? base : `${base}/`)

/** Outside production a missing secret is generated once and kept, so tokens survive restarts. */
function jwtSecretFrom(env: Env): string {
  if (env.JWT_SECRET !== undefined) {
    if (env.NODE_ENV === 'production' && Buffer.byteLength(env.JWT_SECRET) < 32) {
      throw new ConfigError('JWT_SECRET: must be at least 32 bytes when NODE_ENV=production')
    }
    return env.JWT_SECRET
  }
  if (env.NODE_ENV === 'production') throw new ConfigError('JWT_SECRET: required when NODE_ENV=production')
  const dataDir = resolve(env.DATA_DIR)
  const file = join(dataDir, 'jwt-secret')
  try {
    return readFileSync(file, 'utf8').trim()
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  mkdirSync(dataDir, { recursive: true })
  const secret = randomBytes(32).toString('base64url')
  writeFileSync(file, secret, { mode: 0o600, flag: 'wx' })
  return secret
}

function validate(raw: Record<string, string | undefined>): Env {
  const known = Object.fromEntries(
    Object.keys(EnvSchema.properties).filter((key) => raw[key] !== undefined && raw[key] !== '').map((key) => [key, raw[key]]),
  )
  const env = Value.Default(EnvSchema, Value.Convert(EnvSchema, known))
  const error = Value.Errors(EnvSchema, env).First()
  if (error) {
    const variable = error.path.split('/')[1] ?? '(environment)'
    throw new ConfigError(`${variable}: ${error.message} (got ${JSON.stringify(known[variable])})`)
  }
  return env as Env
}

/** Settings that work but that production would refuse: told once, when the app starts. */
function warningsFrom(env: Env): string[] {
  const warnings: string[] = []
  const secretBytes = env.JWT_SECRET === undefined ? undefined : Buffer.byteLength(env.JWT_SECRET)
  if (secretBytes !== undefined && secretBytes < 32) {
    warnings.push(`JWT_SECRET: ${secretBytes} bytes is short enough to guess offline from one token; use at least 32 (NODE_ENV=production refuses it)`)
  }
  return warnings
}

export function loadConfig(raw: Record<string, string | undefined>) {
  const env = validate(raw)
  return {
    warnings: warningsFrom(env),
    production: env.NODE_ENV === 'production',
    port: env.PORT,
    host: env.HOST,
    database: databaseFrom(env),
    migrate: env.MIGRATE,
    jwt: { secret: jwtSecretFrom(env), expiresIn: env.JWT_EXPIRES_IN, expiresInSeconds: durationMs(env.JWT_EXPIRES_IN) / 1000 },
    logLevel: env.LOG_LEVEL,
    rateLimits: {
      login: parseRate(env.RATE_LIMIT_LOGIN),
      register: parseRate(env.RATE_LIMIT_REGISTER),
      chat: parseRate(env.CHAT_RATE_LIMIT),
    },
    presence: { graceMs: durationMs(env.PRESENCE_GRACE), ttlMs: durationMs(env.PRESENCE_TTL) },
    chatUpgrades: { socketsPerUser: env.CHAT_SOCKETS_PER_USER, failedUpgrades: parseRate(env.CHAT_UPGRADE_FAILURES) },
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    bodyTimeoutMs: durationMs(env.BODY_TIMEOUT),
    uploads: { maxBytes: env.MAX_UPLOAD_BYTES, timeoutMs: durationMs(env.UPLOAD_TIMEOUT), queue: env.UPLOAD_QUEUE },
    pictures: { store: pictureStoreFrom(env), publicBaseUrl: publicBaseFrom(env.PUBLIC_IMAGES_BASE_URL) },
    redis: redisFrom(env),
    redisPrefix: env.REDIS_PREFIX,
    metricsToken: env.METRICS_TOKEN ?? null,
    publicOrigin: env.PUBLIC_ORIGIN,
    shed: {
      eventLoopDelayMs: env.SHED_EVENT_LOOP_DELAY === '0' ? 0 : durationMs(env.SHED_EVENT_LOOP_DELAY),
      waitMs: env.SHED_WAIT === '0' ? 0 : durationMs(env.SHED_WAIT),
      sampleMs: durationMs(env.SHED_SAMPLE),
      retryAfterSeconds: env.SHED_RETRY_AFTER,
    },
    allowedOrigins: env.ALLOWED_ORIGINS?.split(',').map((origin) => origin.trim()).filter(Boolean) ?? [],
  }
}
export type Config = ReturnType<typeof loadConfig>
