import type { FastifyBaseLogger } from 'fastify'
import type { RawData, WebSocket } from 'ws'
import type { EventBus } from '../../plugins/event-bus.js'
import { messageStored } from './events.js'
import { clientMessageIdOf, draftOf, isRefusal, parseFrame, refusal } from './frames.js'
import { CLOSE_INTERNAL_ERROR, connectionOf, type Connection, type Hub } from './hub.js'
import { driverErrorCode } from '../../db/errors.js'
import type { MessageStore } from './message-store.js'
import type { MutualFollows } from './mutual-follows.js'
import type { ChatRepository, Draft, PairStatus } from './repository.js'
import type { SendLimit } from './send-limit.js'

export interface SessionContext {
  hub: Hub
  store: MessageStore
  mutualFollows: MutualFollows
  sendLimit: SendLimit | null
  bus: EventBus
  repository: ChatRepository
  log: FastifyBaseLogger
}

/**
 * Serves authenticated sockets. Frames of one socket are stored in the order they were sent,
 * even when one waits for a follow lookup and the next would not. The functions are shared by
 * every socket (an idle socket should cost little memory), each finding its connection.
 */
export function createSessions({ hub, store, mutualFollows, sendLimit, bus, repository, log }: SessionContext) {
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
    const allowed = sendLimit ? sendLimit.take(connection.userId) : true
    if (allowed === true) {
      const draft = admit(connection, parsed.frame)
      if (draft) inOrder(connection, () => submit(connection, draft))
    } else if (allowed === false) {
      rateLimited(connection, parsed.frame)
    } else {
      // A limit shared through Redis answers later; the frame keeps its place meanwhile.
      inOrder(connection, () => allowed.then((yes) => {
        if (!yes) return rateLimited(connection, parsed.frame)
        const draft = admit(connection, parsed.frame)
        return draft && submit(connection, draft)
      }))
    }
  }

  function rateLimited(connection: Connection, frame: unknown) {
    hub.refuse(connection, refusal('RATE_LIMITED', 'too many messages; slow down', clientMessageIdOf(frame)))
  }

  /** The draft a frame makes, or undefined once it was refused. */
  function admit(connection: Connection, frame: unknown): Draft | undefined {
    const { userId } = connection
    const draft = draftOf(frame, userId)
    if (isRefusal(draft)) return void hub.refuse(connection, draft)
    if (draft.recipientId === userId) {
      // Nobody follows themselves, so nobody is their own mutual follower.
      return void hub.refuse(connection, refusal('NOT_MUTUAL_FOLLOWERS', 'you cannot message yourself', draft.clientMessageId ?? undefined))
    }
    return draft
  }

  function inOrder(connection: Connection, run: () => Promise<void> | undefined) {
    const next = connection.pending ? connection.pending.then(run) : run()
    if (!next) return
    const tracked: Promise<void> = next.catch((error: unknown) => fail(connection, error)).then(() => {
      if (connection.pending === tracked) connection.pending = undefined
    })
    connection.pending = tracked
  }

  function submit(connection: Connection, draft: Draft): Promise<void> | undefined {
    const status = mutualFollows.status(connection.userId, draft.recipientId)
    if (!(status instanceof Promise)) return decide(connection, draft, status)
    return status.then((known) => decide(connection, draft, known), (error: unknown) => fail(connection, error))
  }

  function decide(connection: Connection, draft: Draft, status: PairStatus): Promise<void> | undefined {
    const clientMessageId = draft.clientMessageId ?? undefined
    if (status === 'no-recipient') {
      hub.refuse(connection, refusal('USER_NOT_FOUND', `user ${draft.recipientId} not found`, clientMessageId))
      return undefined
    }
    if (status === 'not-mutual') return refuseOrAckStored(connection, draft)
    store.save(draft).then((saved) => {
      const message = hub.deliver(saved, connection)
      // Acknowledged and delivered here first; the other processes hear of it after.
      if (message) void bus.publish(messageStored, { message }, { to: [message.senderId, message.recipientId] })
    }, (error: unknown) => {
      if (driverErrorCode(error) === '23503') {
        hub.refuse(connection, refusal('USER_NOT_FOUND', `user ${draft.recipientId} not found`, clientMessageId))
      } else {
        fail(connection, error)
      }
    }).catch((error: unknown) => fail(connection, error))
    return undefined
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
    open(socket: WebSocket, userId: number, expiresAt: number) {
      hub.add(socket, userId, expiresAt)
      socket.on('message', onMessage)
    },
  }
}
