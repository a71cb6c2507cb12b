import type { FastifyBaseLogger } from 'fastify'
import type { RawData, WebSocket } from 'ws'
import { UserNotFound } from '../../errors.js'
import type { EventBus } from '../../plugins/event-bus.js'
import { messageStored } from './events.js'
import { clientMessageIdOf, draftOf, isRefusal, parseFrame, readRequestOf, refusal, typeOf } from './frames.js'
import { CLOSE_INTERNAL_ERROR, connectionOf, type Connection, type Hub } from './hub.js'
import type { MessageStore } from './message-store.js'
import type { MutualFollows } from './mutual-follows.js'
import type { ReadMarkers } from './read-markers.js'
import type { ChatRepository, Draft } from './repository.js'
import type { ChatErrorCode } from './schemas.js'
import type { SendLimit } from './send-limit.js'
import type { Typing } from './typing.js'

export interface SessionContext {
  hub: Hub
  store: MessageStore
  mutualFollows: MutualFollows
  sendLimit: SendLimit | null
  bus: EventBus
  repository: ChatRepository
  readMarkers: ReadMarkers
  typing: Typing
  log: FastifyBaseLogger
}

/**
 * Serves authenticated sockets. Frames of one socket are stored in the order they were sent,
 * even when one waits for a follow lookup and the next would not. The functions are shared by
 * every socket (an idle socket should cost little memory), each finding its connection.
 */
export function createSessions({ hub, store, mutualFollows, sendLimit, bus, repository, readMarkers, typing, log }: SessionContext) {
  function onMessage(this: WebSocket, data: RawData, isBinary: boolean) {
    if (hub.closing) return
    const connection = connectionOf(this)
    try {
      receive(connection, data, isBinary)
    } catch (error) {
      // A bug must cost this socket, not the process.
      fail(connection, error)
    }
  }

  function receive(connection: Connection, data: RawData, isBinary: boolean) {
    connection.alive = true
    const parsed = parseFrame(data, isBinary)
    if (isRefusal(parsed)) return hub.refuse(connection, parsed)
    const { frame } = parsed
    // Outside the socket's queue, and not counted by the send limit: typing never delays a message.
    if (typeOf(frame) === 'typing') {
      typing.receive(connection, frame).catch((error: unknown) => fail(connection, error))
      return
    }
    // Asked now, not when the frame's turn comes: a limit shared through Redis decides every
    // frame that arrived in this turn of the event loop with one call.
    const allowed = sendLimit?.take(connection.userId) ?? true
    inOrder(connection, () => (typeOf(frame) === 'read' ? markRead(connection, frame, allowed) : handle(connection, frame, allowed)))
  }

  /** Each frame of a socket is handled once the one before it has been handed to the store. */
  function inOrder(connection: Connection, run: () => Promise<void>) {
    const next = connection.pending ? connection.pending.then(run) : run()
    const tracked: Promise<void> = next.catch((error: unknown) => fail(connection, error)).then(() => {
      if (connection.pending === tracked) connection.pending = undefined
    })
    connection.pending = tracked
  }

  async function handle(connection: Connection, frame: unknown, allowed: boolean | Promise<boolean>) {
    if (!(await allowed)) return refuse(connection, 'RATE_LIMITED', 'too many messages; slow down', clientMessageIdOf(frame))
    const { userId } = connection
    const draft = draftOf(frame, userId)
    if (isRefusal(draft)) return hub.refuse(connection, draft)
    const clientMessageId = draft.clientMessageId ?? undefined
    if (draft.recipientId === userId) {
      // Nobody follows themselves, so nobody is their own mutual follower.
      return refuse(connection, 'NOT_MUTUAL_FOLLOWERS', 'you cannot message yourself', clientMessageId)
    }
    const status = await mutualFollows.status(userId, draft.recipientId)
    if (status === 'no-recipient') return refuse(connection, 'USER_NOT_FOUND', `user ${draft.recipientId} not found`, clientMessageId)
    if (status === 'not-mutual') return refuseOrAckStored(connection, draft)
    // Not awaited: the socket's next frame joins the batch being written instead of waiting for its commit.
    void save(connection, draft)
  }

  async function markRead(connection: Connection, frame: unknown, allowed: boolean | Promise<boolean>) {
    if (!(await allowed)) return refuse(connection, 'RATE_LIMITED', 'too many frames; slow down', undefined)
    const request = readRequestOf(frame)
    if (isRefusal(request)) return hub.refuse(connection, request)
    try {
      await readMarkers.mark(connection.userId, request.userId, request.upTo)
    } catch (error) {
      const code = (error as { code?: unknown }).code
      if (code !== 'USER_NOT_FOUND' && code !== 'CONVERSATION_NOT_FOUND' && code !== 'INVALID_READ_MARKER') return fail(connection, error)
      refuse(connection, code, (error as Error).message, undefined)
    }
  }

  async function save(connection: Connection, draft: Draft) {
    try {
      const message = hub.deliver(await store.save(draft), connection)
      // Acknowledged and delivered here first; the other processes hear of it after.
      if (message) void bus.publish(messageStored, { message }, { to: [message.senderId, message.recipientId] })
    } catch (error) {
      if (!(error instanceof UserNotFound)) return fail(connection, error)
      refuse(connection, 'USER_NOT_FOUND', `user ${draft.recipientId} not found`, draft.clientMessageId ?? undefined)
    }
  }

  function refuse(connection: Connection, code: ChatErrorCode, message: string, clientMessageId: string | undefined) {
    hub.refuse(connection, refusal(code, message, clientMessageId))
  }

  /** A resend of a message stored before an unfollow is still acknowledged, as promised. */
  async function refuseOrAckStored(connection: Connection, draft: Draft) {
    const refused = refusal('NOT_MUTUAL_FOLLOWERS', `you and user ${draft.recipientId} do not follow each other`, draft.clientMessageId ?? undefined)
    if (draft.clientMessageId === null) return hub.refuse(connection, refused)
    try {
      const [stored] = await repository.findByClientMessageIds([{ senderId: connection.userId, clientMessageId: draft.clientMessageId }])
      if (stored) hub.deliver({ message: stored, created: false }, connection)
      else hub.refuse(connection, refused)
    } catch (error) {
      fail(connection, error)
    }
  }

  /** Unacknowledged messages are the client's to resend, so the socket is closed to make it reconnect. */
  function fail(connection: Connection, error: unknown) {
    log.error({ err: (error as { cause?: unknown }).cause ?? error, userId: connection.userId }, 'chat message could not be handled')
    connection.socket.close(CLOSE_INTERNAL_ERROR, 'message could not be stored; reconnect and resend')
  }

  return {
    /** Listens before anything is awaited, so no frame sent right after the upgrade is missed. */
    open(socket: WebSocket, userId: number, sessionId: string, expiresAt: number) {
      hub.add(socket, userId, expiresAt, sessionId)
      socket.on('message', onMessage)
    },
  }
}
