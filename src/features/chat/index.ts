import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import type { FastifyRequest } from 'fastify'
import type { ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import type { WebSocket } from 'ws'
import { UpgradeRequired } from '../../errors.js'
import { authErrors } from '../../schemas/error.js'
import { home } from '../page/index.js'
import { sessionsEnded } from '../auth/events.js'
import { messageStored, presenceChanged, readMoved, typingStarted } from './events.js'
import { chatAsyncApi } from './asyncapi.js'
import history from './history.js'
import { createHub, CLOSE_GOING_AWAY } from './hub.js'
import inbox from './inbox.js'
import { createInboxRepository } from './inbox-repository.js'
import { createMessageStore } from './message-store.js'
import { createChatMetrics } from './metrics.js'
import { createMutualFollows } from './mutual-follows.js'
import { createReadMarkers } from './read-markers.js'
import { createChatRepository } from './repository.js'
import { MessageSchema, upgradeRequired } from './schemas.js'
import { createSendLimit, createSharedSendLimit } from './send-limit.js'
import { createPresence } from './presence.js'
import presenceRoute from './presence-route.js'
import { createLocalPresenceStore, createRedisPresenceStore } from './presence-store.js'
import { createSessions } from './session.js'
import { createTyping } from './typing.js'
import { createUpgradeLimits, type UpgradeLimits } from './upgrade-limits.js'

export interface ChatTuning {
  /** How often sockets are pinged; one that has not answered the previous ping is dropped. */
  heartbeatMs?: number
  /** How far behind a reader may fall before it is dropped. */
  maxBufferedBytes?: number
  /** The clock of the per-process send limit, in ms; tests move it instead of waiting for a refill. */
  now?: () => number
}

export interface ChatOptions extends ChatTuning {
  chatRateLimit: { max: number, windowMs: number } | null
  /** Keys of this deployment in a shared Redis start with it. */
  redisPrefix: string
  presence: { graceMs: number, ttlMs: number }
  upgradeLimits: UpgradeLimits
}

const chat: FastifyPluginAsyncTypebox<ChatOptions> = async (app, options) => {
  const { chatRateLimit, redisPrefix, presence: presenceTiming, heartbeatMs = 30_000, maxBufferedBytes = 1024 * 1024 } = options
  const repository = createChatRepository(app.database.db)
  // The hub is made below; the gauge reads it when scraped.
  const metrics = createChatMetrics(app.metrics, () => hub.socketsOpen)
  const store = createMessageStore(repository, { metrics })
  const mutualFollows = createMutualFollows(repository, app.bus)
  const { redis, bus } = app
  const sendLimit = !chatRateLimit
    ? null
    : redis
      ? createSharedSendLimit(chatRateLimit, redis, (error) => app.log.debug({ err: error }, 'shared chat send limit unavailable; limited per process'), `${redisPrefix}:chat-limit:`, options.now)
      : createSendLimit(chatRateLimit, options.now)
  const inboxRepository = createInboxRepository(app.database.db)
  const readMarkers = createReadMarkers(inboxRepository, bus)
  const hub = createHub({
    heartbeatMs,
    maxBufferedBytes,
    log: app.log,
    onHeartbeat: () => {
      sendLimit?.sweep()
      typing.sweep()
    },
    metrics,
  })
  const presenceStore = redis
    ? createRedisPresenceStore(redis, { prefix: redisPrefix, ttlMs: presenceTiming.ttlMs, log: app.log })
    : createLocalPresenceStore()
  const presence = createPresence({
    hub,
    bus,
    store: presenceStore,
    mutualFollowersOfEach: (userIds) => repository.mutualFollowersOfEach(userIds),
    log: app.log,
    graceMs: presenceTiming.graceMs,
    reapMs: Math.max(50, Math.floor(presenceTiming.ttlMs / 4)),
  })
  const typing = createTyping({ hub, bus, mutualFollows, redis, prefix: redisPrefix })
  const { authenticateUpgrade, capSockets } = createUpgradeLimits(app, (userId) => hub.socketsOf(userId), options.upgradeLimits)
  const sessions = createSessions({ hub, store, mutualFollows, sendLimit, bus, repository, readMarkers, typing, log: app.log })
  // Messages for a user reach this process only while it holds one of their sockets.
  const attendances = new Map<number, () => void>()
  hub.observe({
    firstSocket: (userId) => attendances.set(userId, bus.attend(userId)),
    lastSocket: (userId) => {
      attendances.get(userId)?.()
      attendances.delete(userId)
    },
  })
  bus.subscribe(messageStored, ({ message }, origin, audience) => {
    // This process's own messages were delivered here as they were stored.
    if (origin === 'elsewhere') hub.deliverFromElsewhere(message, audience)
  })
  bus.subscribe(typingStarted, ({ userId, recipientId }, _origin, audience = [recipientId]) => {
    if (audience.includes(recipientId)) hub.tell([recipientId], { type: 'typing', userId })
  })
  bus.subscribe(presenceChanged, ({ userId, online, lastSeenAt }, _origin, audience = []) => {
    hub.tell(audience.filter((id) => id !== userId), { type: 'presence', userId, online, lastSeenAt })
  })
  bus.subscribe(readMoved, ({ readerId, peerId, upTo }, _origin, audience = [readerId, peerId]) => {
    hub.tell(audience, { type: 'read', readerId, peerId, upTo })
  })

  // Every process hears of every ended session: it may hold sockets of that session without attending the user for it.
  bus.subscribe(sessionsEnded, ({ userId, sessionIds }) => hub.endSessions(userId, sessionIds))

  app.addSchema(MessageSchema)

  // A preClose hook of the app (the websocket plugin's) would run before this one and close
  // every socket it tracks without a code, before messages in flight are stored; chat sockets
  // are taken out of its tracking and closed here, with 1001, once that work is done.
  app.addHook('preClose', async () => {
    await hub.close(() => store.drain())
    await presence.close()
    mutualFollows.close()
  })

  function dropOnError(this: WebSocket, error: Error) {
    app.log.debug({ err: error }, 'chat socket error')
    this.terminate()
  }

  const open = (socket: WebSocket, request: FastifyRequest) => {
    app.websocketServer.clients.delete(socket)
    // The websocket plugin's error listener holds the upgrade's request and reply for as long
    // as the socket lives, a few KiB each; one shared listener does the same job without them.
    socket.removeAllListeners('error')
    socket.on('error', dropOnError)
    // Likewise the TCP socket still points at the upgrade's HTTP response, and through it at
    // the request, its headers and logger; nothing needs them once the socket is upgraded.
    const tcp = request.raw.socket as Socket & { _httpMessage?: ServerResponse | null }
    tcp._httpMessage?.detachSocket(tcp)
    if (hub.closing) return socket.close(CLOSE_GOING_AWAY, 'server shutting down')
    sessions.open(socket, request.userId, request.sessionId, request.tokenExpiresAt)
  }

  app.route({
    method: 'GET',
    url: '/chat',
    schema: {
      // OpenAPI describes HTTP exchanges; the socket's protocol is documented in docs/chat.md.
      hide: true,
      operationId: 'chat',
      summary: 'The chat WebSocket (upgrade only)',
      description: 'Connect with a WebSocket client; a plain HTTP request is answered 426. The token may ' +
        'also come as ?token= or as the subprotocol pair "bearer, <token>" (then "bearer" is selected). ' +
        'Frames, error codes and close codes are described in docs/chat.md.',
      tags: ['chat'],
      security: [{ bearerAuth: [] }],
      querystring: Type.Object({
        token: Type.Optional(Type.String({ description: 'The JWT, for clients that cannot set headers on a WebSocket' })),
      }),
      response: { 426: upgradeRequired, ...authErrors },
    },
    preValidation: authenticateUpgrade,
    preHandler: capSockets,
    handler: async () => {
      throw new UpgradeRequired('/chat')
    },
    wsHandler: open,
  })

  // The old service's clients connect to ws://host:PORT/?token=JWT; a browser gets the page to try the API.
  app.route({
    method: 'GET',
    url: '/',
    schema: { hide: true },
    preValidation: async (request) => {
      if (request.ws) await authenticateUpgrade(request)
    },
    preHandler: capSockets,
    handler: home,
    wsHandler: open,
  })

  const asyncApi = chatAsyncApi()
  // Public like the rest of /docs: the protocol's description, frames and codes.
  app.get('/docs/asyncapi.json', { schema: { hide: true } }, async () => asyncApi)

  await app.register(history, { repository })
  await app.register(inbox, { repository: inboxRepository, readMarkers })
  await app.register(presenceRoute, { presence, mutualFollows })
}

export default chat
