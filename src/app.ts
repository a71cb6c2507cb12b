import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify from 'fastify'
import { destination, type DestinationStream } from 'pino'
import type { Config } from './config.js'
import account from './features/auth/account.js'
import auth from './features/auth/index.js'
import { createSessionRepository } from './features/auth/session-repository.js'
import { createSessions } from './features/auth/sessions.js'
import blocking from './features/blocks/index.js'
import chat, { type ChatTuning } from './features/chat/index.js'
import follows from './features/follows/index.js'
import { RelationshipSchema } from './features/follows/schemas.js'
import operations from './features/operations/index.js'
import page from './features/page/index.js'
import images from './features/pictures/serve-images.js'
import pictures from './features/pictures/index.js'
import users from './features/users/index.js'
import { ProfileSchema, UserSchema } from './features/users/schemas.js'
import { createUserExists } from './features/users/table.js'
import { loggerOptions, redactingStream } from './logger.js'
import authentication from './plugins/auth.js'
import cursors from './plugins/cursors.js'
import database from './plugins/database.js'
import docs from './plugins/docs.js'
import errors, { clientErrorHandler, frameworkErrors } from './plugins/errors.js'
import eventBus from './plugins/event-bus.js'
import gracefulClose from './plugins/graceful-close.js'
import metrics from './plugins/metrics.js'
import overload from './plugins/overload.js'
import passwordAttempts from './plugins/password-attempts.js'
import pictureStorage from './plugins/picture-storage.js'
import rateLimits from './plugins/rate-limit.js'
import receiveDeadline from './plugins/receive-deadline.js'
import redis from './plugins/redis.js'
import security from './plugins/security.js'
import websocket from './plugins/websocket.js'
import { buildValidator } from './validation.js'

export const JSON_BODY_LIMIT = 1024 * 1024

export interface BuildOptions {
  /** Where logs go; stdout when unset. */
  logStream?: DestinationStream
  /** Chat heartbeat and buffer bounds; tests shorten them. */
  chat?: ChatTuning
}

export async function buildApp(config: Config, options: BuildOptions = {}) {
  const app = Fastify({
    logger: { ...loggerOptions(config.logLevel), stream: redactingStream(options.logStream ?? destination(1)) },
    trustProxy: config.trustProxy,
    bodyLimit: JSON_BODY_LIMIT,
    forceCloseConnections: 'idle',
    // A backstop behind the deadlines of the routes (receive-deadline, uploads): no request of
    // any kind takes longer than the slowest allowed upload to arrive. Node checks every 30 s.
    requestTimeout: Math.max(config.bodyTimeoutMs, config.uploads.timeoutMs) + 5000,
    // Fastify's 10 s is less than a fresh PGlite takes to initialise on a busy machine (measured 8-18 s
    // at a load of 20 on two cores), and the server then failed to start with a plugin timeout.
    pluginTimeout: 60_000,
    frameworkErrors,
    clientErrorHandler,
    // Not setValidatorCompiler: a plugin that adds a shared schema gets a compiler rebuilt from
    // the factory, which was Fastify's default Ajv (the follows and chat routes used it).
    schemaController: { compilersFactory: { buildValidator } },
  }).withTypeProvider<TypeBoxTypeProvider>()

  for (const warning of config.warnings) app.log.warn(warning)
  await app.register(errors)
  await app.register(metrics)
  await app.register(gracefulClose)
  await app.register(receiveDeadline, { bodyTimeoutMs: config.bodyTimeoutMs })
  await app.register(security, { allowedOrigins: config.allowedOrigins })
  await app.register(database, { settings: config.database, migrate: config.migrate })
  await app.register(overload, { settings: config.shed, alwaysAnswered: ['/health', '/metrics'] })
  await app.register(docs)
  await app.register(redis, { target: config.redis })
  await app.register(rateLimits, { redisPrefix: config.redisPrefix })
  await app.register(passwordAttempts, { limit: config.rateLimits.login, redisPrefix: config.redisPrefix })
  await app.register(websocket, { allowedOrigins: config.allowedOrigins, publicOrigin: config.publicOrigin })
  await app.register(cursors, { secret: config.jwt.secret })
  await app.register(eventBus, { redisPrefix: config.redisPrefix })
  await app.register(pictureStorage, { target: config.pictures.store, publicBaseUrl: config.pictures.publicBaseUrl })
  const sessions = createSessions(createSessionRepository(app.database.db), app.bus, app.log)
  await app.register(authentication, { jwt: config.jwt, userExists: createUserExists(app.database.db), sessionIsLive: sessions.isLive })
  // Relationship too: the follow routes and the block routes both answer it.
  for (const schema of [UserSchema, ProfileSchema, RelationshipSchema]) app.addSchema(schema)

  await app.register(operations, { metricsToken: config.metricsToken })
  await app.register(auth, { prefix: '/auth', rateLimits: config.rateLimits, tokenLifetimeSeconds: config.jwt.expiresInSeconds, sessions, hashWaitMs: config.shed.waitMs })
  await app.register(users, { prefix: '/users' })
  await app.register(account, { prefix: '/users', sessions, hashWaitMs: config.shed.waitMs })
  await app.register(pictures, { prefix: '/users', uploads: config.uploads })
  await app.register(images, { prefix: '/images' })
  await app.register(follows, { prefix: '/users' })
  await app.register(blocking, { prefix: '/users' })
  await app.register(chat, { chatRateLimit: config.rateLimits.chat, redisPrefix: config.redisPrefix, presence: config.presence, upgradeLimits: config.chatUpgrades, ...options.chat })
  await app.register(page)
  return app
}

export type App = Awaited<ReturnType<typeof buildApp>>
