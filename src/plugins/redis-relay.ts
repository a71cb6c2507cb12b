import { randomUUID } from 'node:crypto'
import type { FastifyBaseLogger } from 'fastify'
import type { Relay, RelayTarget, WireEvent } from './event-bus.js'
import type { SharedRedis } from './redis.js'

interface Envelope {
  origin: string
  events: WireEvent[]
}

/**
 * The event bus across processes, over Redis publish/subscribe on one channel. Events published
 * in the same turn of the event loop travel as one PUBLISH; each envelope names its process,
 * which skips its own (it has dispatched them already). Delivery is at most once: what is
 * published while Redis is away is lost to the others (stored messages are still there for
 * /messages/sync), so the bus is reset when Redis goes away and again once the subscription is
 * back.
 */
export async function createRedisRelay(redis: SharedRedis, bus: RelayTarget, log: FastifyBaseLogger, channel: string): Promise<Relay> {
  const origin = randomUUID()
  let batch: WireEvent[] = []
  let flushing: Promise<void> | undefined

  async function flush() {
    const events = batch
    batch = []
    flushing = undefined
    try {
      await redis.commands.publish(channel, JSON.stringify({ origin, events } satisfies Envelope))
    } catch (error) {
      // The outage itself is logged once by SharedRedis; this says what it cost.
      log.debug({ err: error, events: events.length }, 'events not published to the other processes')
    }
  }

  redis.subscriber.on('message', (from: string, payload: string) => {
    if (from !== channel) return
    let envelope: Envelope
    try {
      envelope = JSON.parse(payload) as Envelope
    } catch (error) {
      return log.warn({ err: error }, 'unreadable event envelope ignored')
    }
    if (envelope.origin === origin) return
    for (const event of envelope.events) bus.receive(event)
  })

  /**
   * Subscribes (again: ioredis resubscribes by itself after a reconnection, and Redis answers a
   * repeated SUBSCRIBE in order), resolving once Redis confirms: every event published from then
   * on reaches this process. False if Redis is away.
   */
  async function subscribed() {
    try {
      await redis.subscriber.subscribe(channel)
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
    send(event) {
      batch.push(event)
      // setImmediate: every message stored by one batch insert goes out in one PUBLISH.
      flushing ??= new Promise<void>((ready) => setImmediate(ready)).then(flush)
      return flushing
    },
  }
}
