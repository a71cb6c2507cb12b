import { randomUUID } from 'node:crypto'
import type { FastifyBaseLogger } from 'fastify'
import type { PublishOptions, Relay, RelayTarget, WireEvent } from './event-bus.js'
import type { SharedRedis } from './redis.js'

/** One event sent to several users' channels: its number at its origin, and those users. */
type Copies = [serial: number, to: number[]]

interface Envelope {
  origin: string
  events: WireEvent[]
  /** Per event, in order: null when it went to one channel only. Left out when all did. */
  copies?: Array<Copies | null>
}

/** How many events sent to several channels may wait for a copy still expected (a bound on memory). */
const MAX_AWAITED_COPIES = 10_000

/**
 * The event bus across processes, over Redis publish/subscribe. An event for some users goes
 * to each one's channel (`<prefix>:user:<id>`), which a process subscribes to only while it
 * attends that user (holds a socket of theirs): a process hears nothing of users it does not
 * serve. An event for everyone (a follow change, which every process's caches depend on) goes
 * to `<prefix>:fanout`, which every process subscribes to.
 *
 * Events published in the same turn of the event loop travel as one PUBLISH per channel; each
 * envelope names its process, which skips its own (it has dispatched them already). An event
 * sent to two users' channels reaches a process attending both twice: the second copy is
 * dropped. Delivery is at most once: what is published while Redis is away is lost to the
 * others (stored messages are still there for /messages/sync), so the bus is reset when Redis
 * goes away and again once the subscriptions are back.
 */
export async function createRedisRelay(redis: SharedRedis, bus: RelayTarget, log: FastifyBaseLogger, prefix: string): Promise<Relay> {
  const origin = randomUUID()
  const everyone = `${prefix}:fanout`
  const userChannels = `${prefix}:user:`
  const channelOf = (userId: number) => `${userChannels}${userId}`
  // An envelope starts with its origin (JSON keeps the order keys were written in): this
  // process's own are recognized without being parsed.
  const own = `{"origin":${JSON.stringify(origin)},`

  let outgoing = new Map<string, Required<Envelope>>()
  let flushing: Promise<void> | undefined
  let serial = 0

  async function flush() {
    const envelopes = outgoing
    outgoing = new Map()
    flushing = undefined
    await Promise.all([...envelopes].map(async ([channel, { events, copies }]) => {
      const envelope: Envelope = { origin, events, ...(copies.some(Boolean) && { copies }) }
      try {
        await redis.publish(channel, JSON.stringify(envelope))
      } catch (error) {
        // The outage itself is logged once by SharedRedis; this says what it cost.
        log.debug({ err: error, events: events.length }, 'events not published to the other processes')
      }
    }))
  }

  function enqueue(channel: string, event: WireEvent, copies: Copies | null) {
    let envelope = outgoing.get(channel)
    if (!envelope) outgoing.set(channel, envelope = { origin, events: [], copies: [] })
    envelope.events.push(event)
    envelope.copies.push(copies)
  }

  // Users attended here (sockets open), and users whose channel is being left: a copy may
  // still come on it until Redis confirms the UNSUBSCRIBE.
  const attended = new Map<number, number>()
  const leaving = new Map<number, number>()
  const listening = (userId: number) => attended.has(userId) || leaving.has(userId)
  // Events heard on one channel whose copies on other channels of this process are still to come.
  const awaited = new Map<string, number>()

  /** False for a copy of an event already dispatched here. */
  function firstHeard(from: string, heardOn: string, [number, to]: Copies) {
    const key = `${from}:${number}`
    const left = awaited.get(key)
    if (left !== undefined) {
      if (left > 1) awaited.set(key, left - 1)
      else awaited.delete(key)
      return false
    }
    const others = to.filter((userId) => channelOf(userId) !== heardOn && listening(userId)).length
    if (others > 0) {
      if (awaited.size >= MAX_AWAITED_COPIES) awaited.delete(awaited.keys().next().value as string)
      awaited.set(key, others)
    }
    return true
  }

  redis.onMessage((channel, payload) => {
    if (payload.startsWith(own) || (channel !== everyone && !channel.startsWith(userChannels))) return
    let envelope: Envelope
    try {
      envelope = JSON.parse(payload) as Envelope
    } catch (error) {
      return log.warn({ err: error }, 'unreadable event envelope ignored')
    }
    envelope.events.forEach((event, i) => {
      const copies = envelope.copies?.[i]
      if (!copies || firstHeard(envelope.origin, channel, copies)) bus.receive(event)
    })
  })

  function subscribe(channel: string) {
    return redis.subscribe(channel).catch((error: unknown) => {
      log.debug({ err: error, channel }, 'subscription failed; ioredis subscribes again on reconnect')
    })
  }

  function leave(userId: number) {
    leaving.set(userId, (leaving.get(userId) ?? 0) + 1)
    void redis.unsubscribe(channelOf(userId)).catch((error: unknown) => {
      // A connection lost meanwhile forgets its subscriptions anyway.
      log.debug({ err: error, userId }, 'unsubscribe failed')
    }).finally(() => {
      const count = leaving.get(userId) ?? 1
      if (count > 1) leaving.set(userId, count - 1)
      else leaving.delete(userId)
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
  redis.on('up', () => void resume())
  if (redis.up) await resume()

  return {
    send(event: WireEvent, { to }: PublishOptions) {
      if (!to) {
        enqueue(everyone, event, null)
      } else {
        const users = [...new Set(to)]
        const copies: Copies | null = users.length > 1 ? [++serial, users] : null
        for (const userId of users) enqueue(channelOf(userId), event, copies)
      }
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
        if (left > 0) return void attended.set(userId, left)
        attended.delete(userId)
        leave(userId)
      }
    },
  }
}
