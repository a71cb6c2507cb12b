import { randomUUID } from 'node:crypto'
import type { FastifyBaseLogger } from 'fastify'

/** Who is online across every process, and since when they were last seen. */
export interface PresenceStore {
  /** This process holds the user's first socket; true when the user was offline everywhere. */
  join(userId: number): Promise<boolean>
  /** This process holds none of the user's sockets any more; the time of it when the user is now offline everywhere. */
  leave(userId: number): Promise<string | null>
  status(userId: number): Promise<{ online: boolean, lastSeenAt: string | null }>
  /** Users found offline since the last call because the process that held them died; run periodically. */
  reap(): Promise<Array<{ userId: number, lastSeenAt: string }>>
  /** The users this process serves must be joined again (the store forgot this process). */
  onForgotten(handler: () => void): void
  close(): Promise<Array<{ userId: number, lastSeenAt: string }>>
}

/** One process alone: what its hub holds is the whole truth. */
export function createLocalPresenceStore(maxRemembered = 100_000): PresenceStore {
  const online = new Set<number>()
  const lastSeen = new Map<number, string>()
  return {
    async join(userId) {
      lastSeen.delete(userId)
      const joined = !online.has(userId)
      online.add(userId)
      return joined
    },
    async leave(userId) {
      if (!online.delete(userId)) return null
      const at = new Date().toISOString()
      if (lastSeen.size >= maxRemembered) lastSeen.delete(lastSeen.keys().next().value as number)
      lastSeen.set(userId, at)
      return at
    },
    async status(userId) {
      return online.has(userId) ? { online: true, lastSeenAt: null } : { online: false, lastSeenAt: lastSeen.get(userId) ?? null }
    },
    async reap() {
      return []
    },
    onForgotten() {},
    async close() {
      return []
    },
  }
}

interface RedisCommands {
  readonly up: boolean
  readonly commands: {
    eval(script: string, keys: number, ...args: Array<string | number>): Promise<unknown>
  }
}

const SEEN_TTL_SECONDS = 30 * 86_400

const joinLua = `
redis.call('SADD', KEYS[2], ARGV[2])
local added = redis.call('SADD', KEYS[1], ARGV[1])
if added == 1 and redis.call('SCARD', KEYS[1]) == 1 then return 1 end
return 0
`

const leaveLua = `
redis.call('SREM', KEYS[2], ARGV[2])
local removed = redis.call('SREM', KEYS[1], ARGV[1])
if removed == 1 and redis.call('SCARD', KEYS[1]) == 0 then
  redis.call('SET', KEYS[3], ARGV[3], 'EX', ${SEEN_TTL_SECONDS})
  return 1
end
return 0
`

const statusLua = `
return { redis.call('SCARD', KEYS[1]), redis.call('GET', KEYS[2]) }
`

const beatLua = `
redis.call('SET', KEYS[1], '1', 'PX', ARGV[2])
return redis.call('SADD', KEYS[2], ARGV[1])
`

// Every process whose heartbeat has expired is taken out, and its users with it: each user no
// other process holds is offline. One script, so two processes never reap the same one twice.
const reapLua = `
local offline = {}
for _, proc in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if proc == ARGV[3] or redis.call('EXISTS', ARGV[1] .. 'alive:' .. proc) == 0 then
    redis.call('SREM', KEYS[1], proc)
    local usersKey = ARGV[1] .. 'p:' .. proc
    for _, user in ipairs(redis.call('SMEMBERS', usersKey)) do
      local key = ARGV[1] .. 'u:' .. user
      if redis.call('SREM', key, proc) == 1 and redis.call('SCARD', key) == 0 then
        redis.call('SET', ARGV[1] .. 'seen:' .. user, ARGV[2], 'EX', ${SEEN_TTL_SECONDS})
        offline[#offline + 1] = user
      end
    end
    redis.call('DEL', usersKey)
  end
end
return offline
`

/**
 * Presence shared through Redis. Each user has the set of processes holding a socket of theirs
 * (`u:<user>`), each process the set of users it holds (`p:<process>`) and a heartbeat key that
 * expires after `ttlMs` (`alive:<process>`). A process that dies stops beating; the next reap by
 * any process takes its users out of their sets, and those left in no set are offline. Every key
 * shares one hash tag, so the scripts touch one slot on a Redis Cluster too.
 */
export function createRedisPresenceStore(redis: RedisCommands, { prefix, ttlMs, log }: { prefix: string, ttlMs: number, log: FastifyBaseLogger }): PresenceStore {
  const proc = randomUUID()
  const base = `{${prefix}:presence}:`
  const processes = `${base}procs`
  const forgotten = new Set<() => void>()
  let closed = false

  const run = (script: string, keys: string[], ...args: Array<string | number>) => redis.commands.eval(script, keys.length, ...keys, ...args)
  const toOffline = (users: unknown, lastSeenAt: string) => (users as string[]).map((user) => ({ userId: Number(user), lastSeenAt }))

  async function beat() {
    if (!redis.up || closed) return
    try {
      const registered = await run(beatLua, [`${base}alive:${proc}`, processes], proc, ttlMs)
      // Registered anew: the first beat, or this process was reaped (paused too long) or Redis restarted empty.
      if (registered === 1 && started) for (const handler of forgotten) handler()
      started = true
    } catch (error) {
      log.debug({ err: error }, 'presence heartbeat failed')
    }
  }
  let started = false
  const heartbeat = setInterval(() => { void beat() }, Math.max(50, Math.floor(ttlMs / 4))).unref()
  void beat()

  return {
    async join(userId) {
      return await run(joinLua, [`${base}u:${userId}`, `${base}p:${proc}`], proc, userId) === 1
    },
    async leave(userId) {
      const at = new Date().toISOString()
      return await run(leaveLua, [`${base}u:${userId}`, `${base}p:${proc}`, `${base}seen:${userId}`], proc, userId, at) === 1 ? at : null
    },
    async status(userId) {
      const [count, seen] = await run(statusLua, [`${base}u:${userId}`, `${base}seen:${userId}`]) as [number, string | false]
      return count > 0 ? { online: true, lastSeenAt: null } : { online: false, lastSeenAt: seen || null }
    },
    async reap() {
      if (!redis.up) return []
      const at = new Date().toISOString()
      return toOffline(await run(reapLua, [processes], base, at, ''), at)
    },
    onForgotten(handler) {
      forgotten.add(handler)
    },
    async close() {
      closed = true
      clearInterval(heartbeat)
      if (!redis.up) return []
      const at = new Date().toISOString()
      try {
        // This process reaps itself: its users held nowhere else go offline now, not after the TTL.
        return toOffline(await run(reapLua, [processes], base, at, proc), at)
      } catch (error) {
        log.debug({ err: error }, 'presence could not be cleared at shutdown; the heartbeat expires instead')
        return []
      }
    },
  }
}
