import { EventEmitter } from 'node:events'
import type { FastifyBaseLogger } from 'fastify'
import fp from 'fastify-plugin'
import { Redis, type RedisOptions } from 'ioredis'

/**
 * The two connections every process keeps to Redis when REDIS_URL is set: one for commands
 * (publishing, rate limits), one subscribed to the fan-out channel (a subscribed connection can
 * run nothing else). Emits 'down' once when either is lost and 'up' once both are back.
 */
export class SharedRedis extends EventEmitter<{ up: [], down: [] }> {
  readonly commands: Redis
  readonly subscriber: Redis
  #up = false
  #closing = false

  constructor(url: string, private readonly log: FastifyBaseLogger) {
    super()
    const options: RedisOptions = {
      // Reconnect quickly and for ever: Redis coming back must not need a restart here.
      retryStrategy: (attempt) => Math.min(attempt * 100, 1000),
      // While Redis is away a command fails at once (callers fall back to what the process can
      // do alone) instead of waiting in a queue; one caught by the outage gives up after a second.
      enableOfflineQueue: false,
      commandTimeout: 1000,
      maxRetriesPerRequest: 0,
      lazyConnect: true,
      connectionName: `social-api:${process.pid}`,
    }
    this.commands = new Redis(url, { ...options, enableAutoPipelining: true })
    // Subscribing goes through the offline queue so that ioredis itself resubscribes on reconnect.
    this.subscriber = new Redis(url, { ...options, enableOfflineQueue: true, commandTimeout: undefined, maxRetriesPerRequest: null })
    for (const connection of [this.commands, this.subscriber]) {
      connection.on('ready', () => this.#check())
      connection.on('close', () => this.#check())
      // ioredis reports each failed reconnection attempt; the outage is logged once, by #check.
      connection.on('error', (error: Error) => {
        if (this.#up) this.log.warn({ err: error }, 'redis connection error')
        this.#check()
      })
    }
  }

  /** True while both connections are ready. */
  get up() {
    return this.#up
  }

  #check() {
    if (this.#closing) return
    const up = this.commands.status === 'ready' && this.subscriber.status === 'ready'
    if (up === this.#up) return
    this.#up = up
    if (up) this.log.info('redis is reachable: chat fan-out and shared rate limits resume')
    else this.log.warn('redis is unreachable: each process serves its own sockets and limits alone until it is back')
    this.emit(up ? 'up' : 'down')
  }

  /** Waits a bounded time for the first connection; a process starts even if Redis is down. */
  async connect(timeoutMs = 5000) {
    const connecting = Promise.all([this.commands.connect(), this.subscriber.connect()])
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(resolve, timeoutMs, 'timeout').unref())
    const outcome = await Promise.race([connecting.then(() => 'connected' as const, () => 'failed' as const), timeout])
    if (outcome !== 'connected') {
      this.log.warn({ outcome }, 'redis is unreachable at start-up: serving alone until it is')
    }
  }

  async close() {
    this.#closing = true
    this.removeAllListeners()
    await Promise.all([this.commands, this.subscriber].map((connection) =>
      connection.status === 'ready' ? connection.quit().catch(() => connection.disconnect()) : connection.disconnect()))
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Null when REDIS_URL is unset: a single process needs no Redis. */
    redis: SharedRedis | null
  }
}

export default fp<{ url: string | undefined }>(async function redis(app, { url }) {
  if (!url) {
    app.decorate('redis', null)
    return
  }
  const shared = new SharedRedis(url, app.log)
  app.decorate('redis', shared)
  await shared.connect()
  app.addHook('onClose', () => shared.close())
}, { name: 'redis' })
