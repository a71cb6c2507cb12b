import { randomUUID } from 'node:crypto'
import type { FastifyBaseLogger } from 'fastify'
import type { PublishOptions, Relay, RelayTarget, WireEvent } from './event-bus.js'
import type { SharedRedis } from './redis.js'

interface Envelope {
  origin: string
  events: WireEvent[]
}

/**
 * The event bus across processes, over Redis publish/subscribe. An event for some users goes
 * to each one's channel (`<prefix>:user:<id>`), which a process subscribes to only while it
 * attends that user (holds a socket of theirs): a process hears nothing of users it does not
 * serve. An event for everyone (a follow change, which every process's caches depend on) goes
 * to `<prefix>:fanout`, which every process subscribes to.
 *
 * Events published in the same turn of the event loop travel as one PUBLISH per channel; each
 * envelope names its process, which skips its own (it has dispatched them already). An event
 * heard on a user's channel is dispatched for that user alone (its audience), so a process
 * attending both people of a message hears it twice and delivers it once to each, and an event
 * for a thousand users costs a thousand small envelopes, not a thousand copies of the list.
 * Delivery is at most once: what is published while Redis is away is lost to the others
 * (stored messages are still there for /messages/sync), so the bus is reset when Redis goes
 * away and again once the subscriptions are back.
 */
export async function createRedisRelay(redis: SharedRedis, bus: RelayTarget, log: FastifyBaseLogger, prefix: string): Promise<Relay> {
  const origin = randomUUID()
  const everyone = `${prefix}:fanout`
  const userChannels = `${prefix}:user:`
  const channelOf = (userId: number) => `${userChannels}${userId}`
  // An envelope starts with its origin (JSON keeps the order keys were written in): this
  // process's own are recognized without being parsed.
  const own = `{"origin":${JSON.stringify(origin)},`

  let outgoing = new Map<string, WireEvent[]>()
  let flushing: Promise<void> | undefined

  async function flush() {
    const batches = outgoing
    outgoing = new Map()
    flushing = undefined
    await Promise.all([...batches].map(async ([channel, events]) => {
      try {
        await redis.publish(channel, JSON.stringify({ origin, events } satisfies Envelope))
      } catch (error) {
        // The outage itself is logged once by SharedRedis; this says what it cost.
        log.debug({ err: error, events: events.length }, 'events not published to the other processes')
      }
    }))
  }

  function enqueue(channel: string, event: WireEvent) {
    const events = outgoing.get(channel)
    if (events) events.push(event)
    else outgoing.set(channel, [event])
  }

  // Users attended here (sockets open), with how many attendances each.
  const attended = new Map<number, number>()

  redis.onMessage((channel, payload) => {
    if (payload.startsWith(own)) return
    let audience: number[] | undefined
    if (channel.startsWith(userChannels)) {
      const userId = Number(channel.slice(userChannels.length))
      if (!Number.isSafeInteger(userId)) return
      audience = [userId]
    } else if (channel !== everyone) {
      return
    }
    let envelope: Envelope
    try {
      envelope = JSON.parse(payload) as Envelope
    } catch (error) {
      return log.warn({ err: error }, 'unreadable event envelope ignored')
    }
    for (const event of envelope.events) bus.receive(event, audience)
  })

  function subscribe(channel: string) {
    return redis.subscribe(channel).catch((error: unknown) => {
      log.debug({ err: error, channel }, 'subscription failed; ioredis subscribes again on reconnect')
    })
  }

  function leave(userId: number) {
    void redis.unsubscribe(channelOf(userId)).catch((error: unknown) => {
      // A connection lost meanwhile forgets its subscriptions anyway.
      log.debug({ err: error, userId }, 'unsubscribe failed')
    })
  }

  /**
   * Subscribes to the shared channel (again: ioredis resubscribes by itself after a
   * reconnection, users' channels included, and Redis answers subscriptions in order),
   * resolving once Redis confirms: every event published from then on reaches this process.
   * False if Redis is away.
   */
  async function subscribed() {
    try {
      await redis.subscribe(everyone)
      return redis.up
    } catch (error) {
      log.debug({ err: error }, 'event subscription failed; ioredis subscribes again on reconnect')
      return false
    }
  }
  const resume = async () => {
    if (await subscribed()) bus.reset(true)
  }
  bus.reset(false)
  redis.on('down', () => bus.reset(false))
  redis.on('up', () => { void resume() })
  if (redis.up) await resume()

  return {
    send(event: WireEvent, { to }: PublishOptions) {
      if (!to) enqueue(everyone, event)
      else for (const userId of new Set(to)) enqueue(channelOf(userId), event)
      // setImmediate: every message stored by one batch insert goes out in one PUBLISH per channel.
      flushing ??= new Promise<void>((ready) => setImmediate(ready)).then(flush)
      return flushing
    },

    attend(userId: number) {
      const count = attended.get(userId) ?? 0
      attended.set(userId, count + 1)
      if (count === 0) void subscribe(channelOf(userId))
      let attending = true
      return () => {
        if (!attending) return
        attending = false
        const left = (attended.get(userId) ?? 1) - 1
        if (left > 0) {
          attended.set(userId, left)
          return
        }
        attended.delete(userId)
        leave(userId)
      }
    },
  }
}
