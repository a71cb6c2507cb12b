import type { FastifyBaseLogger } from 'fastify'
import fp from 'fastify-plugin'
import type { Counter } from 'prom-client'
import type { Metrics } from './metrics.js'
import { createRedisRelay } from './redis-relay.js'

/**
 * A kind of live event. Features declare theirs next to their schemas
 * (`export const followChanged = defineEvent<FollowChange>('follow')`), publish them and
 * subscribe to them; the bus itself knows none of them. The name travels between processes, so
 * it must stay stable across versions that run side by side.
 */
export interface EventType<Payload extends object> {
  readonly name: string
  /** Never set: carries the payload's type for publish and subscribe. */
  readonly payload?: Payload
}

export function defineEvent<Payload extends object>(name: string): EventType<Payload> {
  return { name }
}

/** 'here' for an event this process published, 'elsewhere' for one another process did. */
export type Origin = 'here' | 'elsewhere'

/**
 * `audience`: the users this copy of the event is for here, whose sockets the handler serves
 * (the `to` it was published with, or the user whose channel it came on from elsewhere);
 * undefined for an event for everyone. An event for several users may reach a process once
 * per user it attends, each time for that user alone, so a handler serves only its audience.
 */
export type EventHandler<Payload> = (payload: Payload, origin: Origin, audience: readonly number[] | undefined) => void

/** An event as it travels between processes: its name, and its payload's fields. */
export type WireEvent = { type: string } & Record<string, unknown>

export interface PublishOptions {
  /**
   * The users the event concerns (the two people of a message, say). Left out, the event
   * concerns every process (a follow change, which clears caches everywhere).
   */
  to?: readonly number[]
}

/** What carries events to and from the other processes (Redis pub/sub, or nothing). */
export interface Relay {
  /** Resolves once the other processes were told, or it was found they could not be (never rejects). */
  send(event: WireEvent, options: PublishOptions): Promise<void>
  /** Starts receiving the events published for the user; returns the function that stops. */
  attend?(userId: number): () => void
}

export interface EventBus {
  /**
   * Hands the event to this process's subscribers at once (origin 'here'), then to the other
   * processes' (origin 'elsewhere'). Resolves once the others were told, or it was found they
   * could not be; never rejects.
   */
  publish<Payload extends object>(type: EventType<Payload>, payload: Payload, options?: PublishOptions): Promise<void>
  /** Returns the function that unsubscribes. */
  subscribe<Payload extends object>(type: EventType<Payload>, handler: EventHandler<Payload>): () => void
  /**
   * False while events of other processes may be missed (Redis is away): a cache built from
   * events must not keep what it reads meanwhile.
   */
  readonly complete: boolean
  /**
   * Runs the handler whenever events may have been missed and whenever they no longer can be:
   * a cache built from events forgets what it holds. Returns the function that unsubscribes.
   */
  onReset(handler: () => void): () => void
  /**
   * Says this process serves the user (holds a socket of theirs), so that the events other
   * processes publish `to` them reach it; events for users nobody attends here may never
   * arrive. Counted: returns the function that ends this attendance, and the user is left once
   * every attendance has ended.
   */
  attend(userId: number): () => void
}

/** The side of the bus a relay drives: events from the others, and whether any may be missed. */
export interface RelayTarget {
  receive(event: WireEvent, audience?: readonly number[]): void
  reset(complete: boolean): void
}

/** Events published here, and heard from the other processes, by event name. */
export interface BusCounters {
  published: Counter<'event'>
  received: Counter<'event'>
}

export function busCounters(metrics: Metrics): BusCounters {
  return {
    published: metrics.counter({ name: 'bus_events_published_total', help: 'Live events published by this process, by event name', labelNames: ['event'] }),
    received: metrics.counter({ name: 'bus_events_received_total', help: 'Live events heard from other processes through Redis, by event name', labelNames: ['event'] }),
  }
}

export function createEventBus(log: FastifyBaseLogger, counters?: BusCounters): EventBus & RelayTarget & { relay: Relay | undefined } {
  const handlers = new Map<string, Set<EventHandler<object>>>()
  const resets = new Set<() => void>()
  let complete = true

  function dispatch(name: string, payload: object, origin: Origin, audience: readonly number[] | undefined) {
    for (const handler of handlers.get(name) ?? []) {
      try {
        handler(payload, origin, audience)
      } catch (error) {
        log.error({ err: error, event: name, origin }, 'event handler failed')
      }
    }
  }

  const done = Promise.resolve()
  const nothing = () => {}
  return {
    relay: undefined,

    get complete() {
      return complete
    },

    publish(type, payload, options = {}) {
      counters?.published.inc({ event: type.name })
      dispatch(type.name, payload, 'here', options.to)
      return this.relay ? this.relay.send({ ...payload, type: type.name }, options) : done
    },

    subscribe(type, handler) {
      let own = handlers.get(type.name)
      if (!own) handlers.set(type.name, own = new Set())
      const added = handler as EventHandler<object>
      own.add(added)
      return () => own.delete(added)
    },

    attend(userId) {
      return this.relay?.attend?.(userId) ?? nothing
    },

    onReset(handler) {
      resets.add(handler)
      return () => resets.delete(handler)
    },

    receive({ type, ...payload }, audience) {
      // Names come off the wire: one nobody here subscribes to is not a label value of its own.
      counters?.received.inc({ event: handlers.has(type) ? type : 'unknown' })
      dispatch(type, payload, 'elsewhere', audience)
    },

    reset(isComplete) {
      complete = isComplete
      for (const handler of resets) {
        try {
          handler()
        } catch (error) {
          log.error({ err: error }, 'event bus reset handler failed')
        }
      }
    },
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    bus: EventBus
  }
}

/**
 * One process alone dispatches events to its own subscribers. With Redis, events also travel
 * to and from the other processes (those for some users only to the processes attending them);
 * while Redis is away the bus says events may be missed.
 */
export default fp<{ redisPrefix: string }>(async function eventBus(app, { redisPrefix }) {
  const bus = createEventBus(app.log, busCounters(app.metrics))
  app.decorate('bus', bus)
  if (app.redis) bus.relay = await createRedisRelay(app.redis, bus, app.log, redisPrefix)
}, { name: 'event-bus', dependencies: ['redis', 'metrics'] })
