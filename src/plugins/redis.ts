import { EventEmitter } from 'node:events'
import type { FastifyBaseLogger } from 'fastify'
import fp from 'fastify-plugin'
import { Cluster, Redis, type ClusterNode, type RedisOptions } from 'ioredis'

/** Where Redis is: one server, or the nodes of a Redis Cluster to discover it from. */
export type RedisTarget = { url: string } | { clusterNodes: ClusterNode[] }

/**
 * The two connections every process keeps to Redis when REDIS_URL (or REDIS_CLUSTER_NODES) is
 * set: one for commands (publishing, rate limits), one for subscriptions (a subscribed
 * connection can run nothing else; on a cluster, ioredis opens one per node holding channels).
 * Emits 'down' once when either is lost and 'up' once both are back.
 */
export class SharedRedis extends EventEmitter<{ up: [], down: [] }> {
  readonly commands: Redis | Cluster
  readonly subscriber: Redis | Cluster
  /**
   * On a cluster channels are shard channels (SPUBLISH/SSUBSCRIBE): a message goes to the node
   * owning its channel's slot only, where a plain PUBLISH is copied to every node of the cluster.
   */
  readonly sharded: boolean
  #up = false
  #closing = false

  constructor(target: RedisTarget, private readonly log: FastifyBaseLogger) {
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
    // Subscribing goes through the offline queue so that ioredis itself resubscribes on reconnect.
    const subscriberOptions: RedisOptions = { ...options, enableOfflineQueue: true, commandTimeout: undefined, maxRetriesPerRequest: null }
    if ('url' in target) {
      this.sharded = false
      this.commands = new Redis(target.url, { ...options, enableAutoPipelining: true })
      this.subscriber = new Redis(target.url, subscriberOptions)
    } else {
      this.sharded = true
      const { retryStrategy, enableOfflineQueue, lazyConnect, ...nodeOptions } = options
      const cluster = { clusterRetryStrategy: retryStrategy, lazyConnect }
      this.commands = new Cluster(target.clusterNodes, { ...cluster, enableOfflineQueue, enableAutoPipelining: true, redisOptions: nodeOptions })
      this.subscriber = new Cluster(target.clusterNodes, {
        ...cluster,
        enableOfflineQueue: true,
        shardedSubscribers: true,
        redisOptions: { connectionName: options.connectionName },
      })
    }
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

  publish(channel: string, message: string): Promise<unknown> {
    return this.sharded ? this.commands.spublish(channel, message) : this.commands.publish(channel, message)
  }

  /** Resolves once Redis confirms: every message published from then on reaches this process. */
  subscribe(channel: string): Promise<unknown> {
    return this.sharded ? this.subscriber.ssubscribe(channel) : this.subscriber.subscribe(channel)
  }

  unsubscribe(channel: string): Promise<unknown> {
    return this.sharded ? this.subscriber.sunsubscribe(channel) : this.subscriber.unsubscribe(channel)
  }

  onMessage(handler: (channel: string, message: string) => void) {
    this.subscriber.on(this.sharded ? 'smessage' : 'message', handler)
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
      connection.status === 'ready' ? connection.quit().then(() => {}, () => connection.disconnect()) : connection.disconnect()))
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Null when neither REDIS_URL nor REDIS_CLUSTER_NODES is set: a single process needs no Redis. */
    redis: SharedRedis | null
  }
}

export default fp<{ target: RedisTarget | null }>(async function redis(app, { target }) {
  if (!target) {
    app.decorate('redis', null)
    return
  }
  const shared = new SharedRedis(target, app.log)
  app.decorate('redis', shared)
  app.metrics.gauge({
    name: 'redis_up',
    help: '1 while both Redis connections (commands and subscriptions) are ready, else 0',
    collect() {
      this.set(shared.up ? 1 : 0)
    },
  })
  await shared.connect()
  app.addHook('onClose', () => shared.close())
}, { name: 'redis', dependencies: ['metrics'] })
