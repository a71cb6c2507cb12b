import type { FastifyBaseLogger } from 'fastify'
import fp from 'fastify-plugin'
import type { Result } from 'ioredis'
import { RateLimited } from '../errors.js'
import type { SharedRedis } from './redis.js'

export interface AttemptWindow { max: number, windowMs: number }

interface Reservation { granted: boolean, ttlMs: number }

interface AttemptCounter {
  reserve(key: string): Promise<Reservation>
  release(key: string): Promise<void>
}

/** Per process; entries are dropped once their window has passed, so memory follows the attackers of one window. */
function localCounter({ max, windowMs }: AttemptWindow): AttemptCounter & { close(): void } {
  const windows = new Map<string, { count: number, endsAt: number }>()
  const sweep = setInterval(() => {
    const now = Date.now()
    for (const [key, window] of windows) if (window.endsAt <= now) windows.delete(key)
  }, windowMs).unref()
  return {
    async reserve(key) {
      const now = Date.now()
      let window = windows.get(key)
      if (!window || window.endsAt <= now) windows.set(key, window = { count: 0, endsAt: now + windowMs })
      const granted = window.count < max
      if (granted) window.count++
      return { granted, ttlMs: window.endsAt - now }
    },
    async release(key) {
      const window = windows.get(key)
      if (window && window.count > 0) window.count--
    },
    close: () => clearInterval(sweep),
  }
}

declare module 'ioredis' {
  interface RedisCommander<Context> {
    /** Takes one attempt at `key` if fewer than `max` were taken in its window: [1 taken or 0 not, ms left in the window]. */
    reservePasswordAttempt(key: string, windowMs: number, max: number): Result<[number, number], Context>
    /** Gives back one attempt taken at `key`; the count before. */
    releasePasswordAttempt(key: string): Result<number, Context>
  }
}

// One key per script, so on a Redis Cluster each call runs on the node owning that key's slot.
const reserveLua = `
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
if count >= tonumber(ARGV[2]) then return {0, redis.call('PTTL', KEYS[1])} end
if redis.call('INCR', KEYS[1]) == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {1, redis.call('PTTL', KEYS[1])}`
const releaseLua = `
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
if count > 0 then redis.call('DECR', KEYS[1]) end
return count`

/** In Redis while it is up, so every process draws on one count; in this process's memory while it is not. */
function sharedCounter(redis: SharedRedis, prefix: string, window: AttemptWindow, local: AttemptCounter, log: FastifyBaseLogger): AttemptCounter {
  redis.commands.defineCommand('reservePasswordAttempt', { numberOfKeys: 1, lua: reserveLua })
  redis.commands.defineCommand('releasePasswordAttempt', { numberOfKeys: 1, lua: releaseLua })
  const key = (name: string) => `${prefix}:password-attempts:${name}`
  const fallBack = (error: unknown) => {
    log.debug({ err: error }, 'shared password-attempt limit unavailable; counted per process')
  }
  return {
    async reserve(name) {
      if (!redis.up) return local.reserve(name)
      try {
        const [granted, ttlMs] = await redis.commands.reservePasswordAttempt(key(name), window.windowMs, window.max)
        return { granted: granted === 1, ttlMs: ttlMs > 0 ? ttlMs : window.windowMs }
      } catch (error) {
        fallBack(error)
        return local.reserve(name)
      }
    },
    async release(name) {
      if (!redis.up) return local.release(name)
      await redis.commands.releasePasswordAttempt(key(name)).catch(async (error: unknown) => {
        fallBack(error)
        await local.release(name)
      })
    },
  }
}

export interface PasswordAttempts {
  /**
   * Runs `verify` (a password check) only if `key` still has a failed attempt left in its
   * window, and answers what it answered. The attempt is taken before `verify` runs and given
   * back unless it answered false, so only wrong passwords count, and however many requests arrive
   * at once no more than the limit are ever checked: the others throw RATE_LIMITED (429, with
   * Retry-After) without hashing anything. Every route that checks a password counts through
   * here, keyed by what an attacker guesses at, e.g. `login:<username>:<address>` or
   * `password:<user id>:<address>`: keys sharing a name share a count.
   */
  check(key: string, verify: () => Promise<boolean>): Promise<boolean>
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The failed-password limit (RATE_LIMIT_LOGIN) for every route that checks a password. */
    passwordAttempts: PasswordAttempts
  }
}

/** RATE_LIMIT_LOGIN, reserved atomically before any hash is computed; null turns it off. */
export default fp<{ limit: AttemptWindow | null, redisPrefix: string }>(async function passwordAttempts(app, { limit, redisPrefix }) {
  if (!limit) {
    app.decorate('passwordAttempts', { check: (_key: string, verify: () => Promise<boolean>) => verify() })
    return
  }
  const local = localCounter(limit)
  app.addHook('onClose', async () => local.close())
  const counter = app.redis ? sharedCounter(app.redis, redisPrefix, limit, local, app.log) : local
  app.decorate('passwordAttempts', {
    async check(key: string, verify: () => Promise<boolean>) {
      const { granted, ttlMs } = await counter.reserve(key)
      if (!granted) {
        const seconds = Math.max(1, Math.ceil(ttlMs / 1000))
        throw Object.assign(new RateLimited(seconds), { retryAfterSeconds: seconds })
      }
      // Only a check that answered false was a wrong password: one that failed, or was shed
      // before its hash started (503), gives its attempt back like a right password does.
      let wrong = false
      try {
        wrong = !await verify()
      } finally {
        if (!wrong) await counter.release(key)
      }
      return !wrong
    },
  })
}, { name: 'password-attempts', dependencies: ['redis'] })
