import { randomUUID } from 'node:crypto'
import type { FastifyBaseLogger } from 'fastify'
import fp from 'fastify-plugin'
import type { Message } from '../features/chat/schemas.js'
import type { SharedRedis } from './redis.js'

export type FanoutEvent =
  | { type: 'message', message: Message }
  | { type: 'follow', followerId: number, followeeId: number }

/**
 * What one process tells the others: each message it stored, each follow that changed. A
 * process never hears its own events back, since it has already acted on them.
 */
export interface Fanout {
  /** Resolves once the other processes were told, or it was found they could not be (never rejects). */
  publish(event: FanoutEvent): Promise<void>
  /** Events from the other processes. */
  subscribe(handler: (event: FanoutEvent) => void): void
}

/** One process alone: nobody else to tell, nothing to hear. */
export function createLocalFanout(): Fanout {
  const done = Promise.resolve()
  return {
    publish: () => done,
    subscribe: () => {},
  }
}

interface Envelope {
  origin: string
  events: FanoutEvent[]
}

/**
 * Redis publish/subscribe on one channel. Events published in the same turn of the event loop
 * travel as one PUBLISH; each envelope names its process, which skips its own. Delivery is at
 * most once: what is published while Redis is away is lost to the others (stored messages are
 * still there for /messages/sync, and caches are reset when the subscription comes back).
 */
export function createRedisFanout(redis: SharedRedis, log: FastifyBaseLogger, channel = 'social-api:fanout'): Fanout & { subscribed(): Promise<boolean> } {
  const origin = randomUUID()
  const handlers: Array<(event: FanoutEvent) => void> = []
  let batch: FanoutEvent[] = []
  let flushing: Promise<void> | undefined

  async function flush() {
    const events = batch
    batch = []
    flushing = undefined
    try {
      await redis.commands.publish(channel, JSON.stringify({ origin, events } satisfies Envelope))
    } catch (error) {
      // The outage itself is logged once by SharedRedis; this says what it cost.
      log.debug({ err: error, events: events.length }, 'fan-out events not published')
    }
  }

  redis.subscriber.on('message', (from: string, payload: string) => {
    if (from !== channel) return
    let envelope: Envelope
    try {
      envelope = JSON.parse(payload) as Envelope
    } catch (error) {
      return log.warn({ err: error }, 'unreadable fan-out envelope ignored')
    }
    if (envelope.origin === origin) return
    for (const event of envelope.events) {
      for (const handler of handlers) {
        try {
          handler(event)
        } catch (error) {
          log.error({ err: error, event: event.type }, 'fan-out event handler failed')
        }
      }
    }
  })
  return {
    /**
     * Subscribes (again: ioredis resubscribes by itself after a reconnection, and Redis answers
     * a repeated SUBSCRIBE in order), resolving once Redis confirms: every event published from
     * then on reaches this process. False if Redis is away.
     */
    async subscribed() {
      try {
        await redis.subscriber.subscribe(channel)
        return redis.up
      } catch (error) {
        log.debug({ err: error }, 'fan-out subscription failed; ioredis subscribes again on reconnect')
        return false
      }
    },
    publish(event) {
      batch.push(event)
      // setImmediate: every message stored by one batch insert goes out in one PUBLISH.
      flushing ??= new Promise<void>((ready) => setImmediate(ready)).then(flush)
      return flushing
    },
    subscribe(handler) {
      handlers.push(handler)
    },
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    fanout: Fanout
  }
}

/**
 * Chooses the fan-out at start-up, and keeps the follow caches of every process true: changes
 * made here are published before the follow request is answered, changes made elsewhere are
 * applied here, and while Redis is away (changes could be missed) the caches are reset and kept
 * empty until the subscription is back.
 */
export default fp(async function fanout(app) {
  const { redis, followEvents } = app
  if (!redis) {
    app.decorate('fanout', createLocalFanout())
    return
  }
  const shared = createRedisFanout(redis, app.log)
  app.decorate('fanout', shared)
  followEvents.relay = (followerId, followeeId) => shared.publish({ type: 'follow', followerId, followeeId })
  shared.subscribe((event) => {
    if (event.type === 'follow') followEvents.changedElsewhere(event.followerId, event.followeeId)
  })
  followEvents.reset(false)
  const resume = async () => {
    if (await shared.subscribed()) followEvents.reset(true)
  }
  redis.on('down', () => followEvents.reset(false))
  redis.on('up', () => void resume())
  if (redis.up) await resume()
}, { name: 'fanout', dependencies: ['redis', 'follow-events'] })
