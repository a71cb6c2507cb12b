import type { EventBus } from '../../plugins/event-bus.js'
import { typingStarted } from './events.js'
import { isRefusal, refusal, typingRequestOf } from './frames.js'
import type { Connection, Hub } from './hub.js'
import type { MutualFollows } from './mutual-follows.js'
import { createSendLimit } from './send-limit.js'

/** At most one typing frame is passed on per sender and recipient in this window. */
export const TYPING_INTERVAL_MS = 2000

interface SharedThrottle {
  readonly up: boolean
  readonly commands: { set(key: string, value: string, px: 'PX', ms: number, nx: 'NX'): Promise<unknown> }
}

/**
 * Typing frames: relayed through the bus, never stored. They do not draw on the send limit
 * (so they cannot starve messages) but on a small budget of their own per user; over it, and
 * within the 2 seconds after one was passed on, they are dropped silently. With Redis the
 * 2-second window is shared by a user's sockets on every process (SET NX PX).
 */
export function createTyping({ hub, bus, mutualFollows, redis, prefix }: {
  hub: Hub
  bus: EventBus
  mutualFollows: MutualFollows
  redis: SharedThrottle | null
  prefix: string
}) {
  const budget = createSendLimit({ max: 5, windowMs: 1000 })
  // When each pair last had a frame passed on here; swept at every heartbeat.
  const passed = new Map<string, number>()

  async function sharedWindowOpen(key: string) {
    if (!redis?.up) return true
    try {
      return await redis.commands.set(`${prefix}:typing:${key}`, '1', 'PX', TYPING_INTERVAL_MS, 'NX') === 'OK'
    } catch {
      // Redis failing: the window of this process still holds.
      return true
    }
  }

  return {
    async receive(connection: Connection, frame: unknown) {
      const { userId } = connection
      if (!budget.take(userId)) return
      const request = typingRequestOf(frame)
      if (isRefusal(request)) return hub.refuse(connection, request)
      const { recipientId } = request
      if (recipientId === userId) return hub.refuse(connection, refusal('NOT_MUTUAL_FOLLOWERS', 'you cannot type to yourself'))
      const key = `${userId}:${recipientId}`
      const now = performance.now()
      if (now - (passed.get(key) ?? -Infinity) < TYPING_INTERVAL_MS) return
      passed.set(key, now)
      const status = await mutualFollows.status(userId, recipientId)
      if (status === 'no-recipient') return hub.refuse(connection, refusal('USER_NOT_FOUND', `user ${recipientId} not found`))
      if (status === 'not-mutual') return hub.refuse(connection, refusal('NOT_MUTUAL_FOLLOWERS', `you and user ${recipientId} do not follow each other`))
      if (!(await sharedWindowOpen(key))) return
      void bus.publish(typingStarted, { userId, recipientId }, { to: [recipientId] })
    },

    sweep() {
      budget.sweep()
      const now = performance.now()
      for (const [key, at] of passed) if (now - at >= TYPING_INTERVAL_MS) passed.delete(key)
    },
  }
}
export type Typing = ReturnType<typeof createTyping>
