import { createHash } from 'node:crypto'

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

// The same bucket kept in Redis, so a user's sockets on every process draw from one. Each key
// of a call is one frame, in order (a user may appear several times); Redis's clock is the one
// clock all processes share.
const takeLua = `
local capacity = tonumber(ARGV[1])
local perMs = tonumber(ARGV[2])
local clock = redis.call('TIME')
local now = clock[1] * 1000 + math.floor(clock[2] / 1000)
local ttl = math.ceil(capacity / perMs)
local answers = {}
for i, key in ipairs(KEYS) do
  local bucket = redis.call('HMGET', key, 't', 'u')
  local tokens = tonumber(bucket[1]) or capacity
  local updatedAt = tonumber(bucket[2]) or now
  tokens = math.min(capacity, tokens + (now - updatedAt) * perMs)
  if tokens >= 1 then
    tokens = tokens - 1
    answers[i] = 1
  else
    answers[i] = 0
  end
  redis.call('HSET', key, 't', tostring(tokens), 'u', tostring(now))
  redis.call('PEXPIRE', key, ttl)
end
return answers
`

interface SharedRedisCommands {
  readonly up: boolean
  /** A Redis Cluster, where one script call may only touch keys of one slot. */
  readonly sharded: boolean
  readonly commands: {
    eval(script: string, keys: number, ...args: Array<string | number>): Promise<unknown>
    evalsha(sha: string, keys: number, ...args: Array<string | number>): Promise<unknown>
  }
}

interface Taking {
  userId: number
  resolve(allowed: boolean): void
}

/**
 * The send limit shared by every process through Redis. The frames of one turn of the event
 * loop are decided by one script call (one round trip, whatever their number). While Redis is
 * away, or if a call fails, each process falls back to its own bucket: a user may then send up
 * to the limit on each process, rather than nothing at all.
 */
export function createSharedSendLimit(
  rate: { max: number, windowMs: number },
  redis: SharedRedisCommands,
  onError: (error: unknown) => void,
  prefix = 'social-api:chat-limit:',
) {
  const local = createSendLimit(rate)
  const capacity = String(2 * rate.max)
  const perMs = String(rate.max / rate.windowMs)
  const sha = createHash('sha1').update(takeLua).digest('hex')
  let batch: Taking[] = []

  async function decide() {
    const taking = batch
    batch = []
    if (!redis.sharded) return decideTogether(taking)
    // On a cluster, one call per user (ioredis pipelines them to each node in one write).
    const byUser = new Map<number, Taking[]>()
    for (const one of taking) {
      const own = byUser.get(one.userId)
      if (own) own.push(one)
      else byUser.set(one.userId, [one])
    }
    await Promise.all([...byUser.values()].map(decideTogether))
  }

  async function decideTogether(taking: Taking[]) {
    const keys = taking.map(({ userId }) => `${prefix}${userId}`)
    let answers: unknown
    try {
      answers = await redis.commands.evalsha(sha, keys.length, ...keys, capacity, perMs).catch((error: unknown) => {
        if (!String((error as Error).message).startsWith('NOSCRIPT')) throw error
        return redis.commands.eval(takeLua, keys.length, ...keys, capacity, perMs)
      })
    } catch (error) {
      onError(error)
      for (const { userId, resolve } of taking) resolve(local.take(userId))
      return
    }
    taking.forEach(({ resolve }, i) => resolve((answers as number[])[i] === 1))
  }

  return {
    take(userId: number): boolean | Promise<boolean> {
      if (!redis.up) return local.take(userId)
      return new Promise<boolean>((resolve) => {
        if (batch.length === 0) setImmediate(decide)
        batch.push({ userId, resolve })
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
