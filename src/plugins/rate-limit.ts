import rateLimit, { type FastifyRateLimitOptions, type FastifyRateLimitStore, type FastifyRateLimitStoreCtor } from '@fastify/rate-limit'
import type { FastifyBaseLogger } from 'fastify'
import fp from 'fastify-plugin'
import type { Result } from 'ioredis'
import { RateLimited } from '../errors.js'
import type { SharedRedis } from './redis.js'

declare module 'ioredis' {
  interface RedisCommander<Context> {
    /** Counts a request in the fixed window of `key`: [requests so far, ms left in the window]. */
    countInRateLimitWindow(key: string, windowMs: number): Result<[number, number], Context>
    /** The fixed window of `key` as it stands, without counting: [requests so far, ms left]. */
    readRateLimitWindow(key: string): Result<[number, number], Context>
  }
}

// One key per call, so on a Redis Cluster each runs on the node that owns the key's slot.
const countInWindowLua = `
local current = redis.call('INCR', KEYS[1])
if current == 1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  return {current, tonumber(ARGV[1])}
end
return {current, redis.call('PTTL', KEYS[1])}
`
const readWindowLua = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if current == 0 then return {0, 0} end
return {current, redis.call('PTTL', KEYS[1])}
`

type Count = { current: number, ttl: number }

/** Fixed windows in this process's memory, the most recently counted 5,000 keys kept (as the plugin's own store). */
function localWindows(capacity = 5000) {
  const windows = new Map<string, { count: number, startedAt: number }>()
  const count = (key: string, windowMs: number): Count => {
    const now = Date.now()
    let window = windows.get(key)
    windows.delete(key)
    if (!window || window.startedAt + windowMs <= now) window = { count: 0, startedAt: now }
    window.count++
    windows.set(key, window)
    for (const oldest of windows.keys()) {
      if (windows.size <= capacity) break
      windows.delete(oldest)
    }
    return { current: window.count, ttl: window.startedAt + windowMs - now }
  }
  const read = (key: string, windowMs: number): Count => {
    const now = Date.now()
    const window = windows.get(key)
    if (!window || window.startedAt + windowMs <= now) return { current: 0, ttl: 0 }
    return { current: window.count, ttl: window.startedAt + windowMs - now }
  }
  return { count, read }
}

/**
 * What names a route's counts. The plugin hands child() the route's merged limit options with
 * the route itself under routeInfo (its types say the route): the key is the one the plugin's
 * own Redis store used, so counts carry over.
 */
function routeKey(options: object): string {
  const route = 'routeInfo' in options && typeof options.routeInfo === 'object' && options.routeInfo !== null ? options.routeInfo : options
  if ('continueExceeding' in options && options.continueExceeding) throw new Error('the rate-limit store counts fixed windows: continueExceeding is not supported')
  if ('exponentialBackoff' in options && options.exponentialBackoff) throw new Error('the rate-limit store counts fixed windows: exponentialBackoff is not supported')
  const method = 'method' in route ? String(route.method) : ''
  const url = 'url' in route ? String(route.url) : ''
  return `${method}${url}-`
}

/**
 * With REDIS_URL the counts live in Redis, so every process counts the same requests. While
 * Redis is away each process counts in its own memory, rather than refusing every request or
 * waving every one through: the limit then holds per process.
 */
function sharedStore(redis: SharedRedis, log: FastifyBaseLogger, prefix: string): FastifyRateLimitStoreCtor {
  redis.commands.defineCommand('countInRateLimitWindow', { numberOfKeys: 1, lua: countInWindowLua })
  redis.commands.defineCommand('readRateLimitWindow', { numberOfKeys: 1, lua: readWindowLua })
  return class SharedWindows implements FastifyRateLimitStore {
    readonly #local = localWindows()

    constructor(_options: FastifyRateLimitOptions, private readonly route = '') {}

    incr(key: string, done: (error: Error | null, result?: Count) => void, windowMs: number) {
      if (!redis.up) return done(null, this.#local.count(key, windowMs))
      redis.commands.countInRateLimitWindow(`${prefix}${this.route}${key}`, windowMs).then(
        ([current, ttl]) => done(null, { current, ttl }),
        (error: unknown) => {
          log.debug({ err: error }, 'shared rate limit unavailable; counted per process')
          done(null, this.#local.count(key, windowMs))
        },
      )
    }

    // For `{ increment: false }`: a look at the window that counts nothing.
    read(key: string, done: (error: Error | null, result?: Count) => void, windowMs: number) {
      if (!redis.up) return done(null, this.#local.read(key, windowMs))
      redis.commands.readRateLimitWindow(`${prefix}${this.route}${key}`).then(
        ([current, ttl]) => done(null, { current, ttl: Math.max(ttl, 0) }),
        (error: unknown) => {
          log.debug({ err: error }, 'shared rate limit unavailable; read per process')
          done(null, this.#local.read(key, windowMs))
        },
      )
    }

    child(routeOptions: object) {
      return new SharedWindows({}, routeKey(routeOptions))
    }
  }
}

/** Limits are per route (no global per-address limit); each feature says what it counts. */
export default fp<{ redisPrefix: string }>(async function rateLimits(app, { redisPrefix }) {
  const { redis } = app
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) => new RateLimited(Math.ceil(context.ttl / 1000)),
    ...(redis && { store: sharedStore(redis, app.log, `${redisPrefix}:rate-limit:`) }),
  })
}, { name: 'rate-limit', dependencies: ['redis'] })
