import type { Cluster, Redis, Result } from 'ioredis'

interface Bucket {
  tokens: number
  updatedAt: number
}

/**
 * A token bucket per user: `max` messages per window on average, bursts of twice that. One
 * bucket for all of a user's sockets, so opening more devices does not raise the limit.
 */
export function createSendLimit({ max, windowMs }: { max: number, windowMs: number }, now = () => performance.now()) {
  const capacity = 2 * max
  const perMs = max / windowMs
  const buckets = new Map<number, Bucket>()

  const refill = (bucket: Bucket, at: number) => {
    bucket.tokens = Math.min(capacity, bucket.tokens + (at - bucket.updatedAt) * perMs)
    bucket.updatedAt = at
  }

  return {
    /** Takes a token; false when the user is over the limit. */
    take(userId: number): boolean {
      const at = now()
      let bucket = buckets.get(userId)
      if (!bucket) {
        bucket = { tokens: capacity, updatedAt: at }
        buckets.set(userId, bucket)
      }
      refill(bucket, at)
      if (bucket.tokens < 1) return false
      bucket.tokens--
      return true
    },

    /** Forgets full buckets: a user who is back to a full burst needs no memory. */
    sweep() {
      const at = now()
      for (const [userId, bucket] of buckets) {
        refill(bucket, at)
        if (bucket.tokens >= capacity) buckets.delete(userId)
      }
    },
  }
}

// The same bucket kept in Redis, so a user's sockets on every process draw from one: takes up
// to `wanted` tokens (the user's frames of one turn, in order) and says how many it took.
// Redis's clock is the one clock all processes share.
const takeLua = `
local capacity = tonumber(ARGV[1])
local perMs = tonumber(ARGV[2])
local wanted = tonumber(ARGV[3])
local clock = redis.call('TIME')
local now = clock[1] * 1000 + math.floor(clock[2] / 1000)
local bucket = redis.call('HMGET', KEYS[1], 't', 'u')
local tokens = tonumber(bucket[1]) or capacity
local updatedAt = tonumber(bucket[2]) or now
tokens = math.min(capacity, tokens + (now - updatedAt) * perMs)
local taken = math.max(0, math.min(wanted, math.floor(tokens)))
tokens = tokens - taken
redis.call('HSET', KEYS[1], 't', tostring(tokens), 'u', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / perMs))
return taken
`

declare module 'ioredis' {
  interface RedisCommander<Context> {
    /** Takes up to `wanted` tokens from the bucket at `key`; how many it took. */
    takeChatSendTokens(key: string, capacity: number, perMs: number, wanted: number): Result<number, Context>
  }
}

interface SharedRedisCommands {
  readonly up: boolean
  readonly commands: Redis | Cluster
}

/**
 * The send limit shared by every process through Redis. The frames of one turn of the event
 * loop are decided by one script call per user, which ioredis's automatic pipelining sends in
 * one write per Redis node; one key per call, since on a cluster a script touches one slot, and
 * the key comes first, since that is what the pipelining routes by. While Redis is away, or if
 * a call fails, each process falls back to its own bucket: a user may then send up to the limit
 * on each process, rather than nothing at all.
 */
export function createSharedSendLimit(
  rate: { max: number, windowMs: number },
  redis: SharedRedisCommands,
  onError: (error: unknown) => void,
  prefix: string,
  now?: () => number,
) {
  const local = createSendLimit(rate, now)
  const capacity = 2 * rate.max
  const perMs = rate.max / rate.windowMs
  redis.commands.defineCommand('takeChatSendTokens', { numberOfKeys: 1, lua: takeLua })
  let batch = new Map<number, Array<(allowed: boolean) => void>>()

  function decide() {
    const turn = batch
    batch = new Map()
    for (const [userId, frames] of turn) void decideFor(userId, frames)
  }

  async function decideFor(userId: number, frames: Array<(allowed: boolean) => void>) {
    let taken: number
    try {
      taken = await redis.commands.takeChatSendTokens(`${prefix}${userId}`, capacity, perMs, frames.length)
    } catch (error) {
      onError(error)
      for (const resolve of frames) resolve(local.take(userId))
      return
    }
    frames.forEach((resolve, i) => resolve(i < taken))
  }

  return {
    take(userId: number): boolean | Promise<boolean> {
      if (!redis.up) return local.take(userId)
      return new Promise<boolean>((resolve) => {
        if (batch.size === 0) setImmediate(decide)
        const frames = batch.get(userId)
        if (frames) frames.push(resolve)
        else batch.set(userId, [resolve])
      })
    },

    sweep() {
      local.sweep()
    },
  }
}

export interface SendLimit {
  /** Takes a token; false when the user is over the limit (a promise when the bucket is shared). */
  take(userId: number): boolean | Promise<boolean>
  sweep(): void
}
