import type { FastifyBaseLogger } from 'fastify'
import { WebSocket } from 'ws'
import type { Saved } from './message-store.js'
import type { ChatMetrics } from './metrics.js'
import { toMessage, type ErrorFrame, type Message } from './schemas.js'

export const CLOSE_GOING_AWAY = 1001
export const CLOSE_POLICY_VIOLATION = 1008
export const CLOSE_INTERNAL_ERROR = 1011

export interface Connection {
  readonly socket: WebSocket
  readonly userId: number
  /** The session of the token the socket was opened with. */
  readonly sessionId: string
  /** When the token the socket was opened with expires (ms since the epoch). */
  readonly expiresAt: number
  /** Cleared at each heartbeat, set again by a pong or any frame. */
  alive: boolean
  /** Frames of this socket still being checked or stored, in order. */
  pending: Promise<void> | undefined
}

export interface HubOptions {
  heartbeatMs: number
  /** A reader this far behind is dropped rather than buffered for. */
  maxBufferedBytes: number
  log: FastifyBaseLogger
  /** Each heartbeat also runs this (housekeeping that needs no timer of its own). */
  onHeartbeat?: () => void
  metrics?: Pick<ChatMetrics, 'delivered' | 'refused'>
}

/**
 * Told when a user's first socket on this process opens and when their last one here closes
 * (shutdown included): per-user subscriptions and presence hang on these. Observers run
 * synchronously inside add / the socket's close; one that throws is logged and skipped.
 */
export interface SocketObserver {
  firstSocket?(userId: number): void
  lastSocket?(userId: number): void
}

const kConnection = Symbol('chat connection')

/** The connection a socket was added as; listeners are shared functions, not closures per socket. */
export const connectionOf = (socket: WebSocket) => (socket as WebSocket & { [kConnection]: Connection })[kConnection]

function onPong(this: WebSocket) {
  connectionOf(this).alive = true
}

/** Which sockets belong to which user, and getting frames to them. */
export function createHub({ heartbeatMs, maxBufferedBytes, log, onHeartbeat, metrics }: HubOptions) {
  // A user's one socket is held as itself, a Set only once a second opens: most users hold one,
  // and a Set of one was 0.15 of the 3.3 KiB an idle socket keeps alive (bench/idle-sockets.ts).
  const sockets = new Map<number, Connection | Set<Connection>>()
  const none: readonly Connection[] = []
  const each = (own: Connection | Set<Connection> | undefined): Iterable<Connection> => (own === undefined ? none : own instanceof Set ? own : [own])
  const connectionsOf = (userId: number) => each(sockets.get(userId))
  let open = 0
  const observers = new Set<SocketObserver>()
  let closing = false

  function tell(event: keyof SocketObserver, userId: number) {
    for (const observer of observers) {
      try {
        observer[event]?.(userId)
      } catch (error) {
        log.error({ err: error, userId }, `chat socket observer failed on ${event}`)
      }
    }
  }

  function send(connection: Connection, frame: string | Buffer) {
    const { socket } = connection
    if (socket.readyState !== WebSocket.OPEN) return
    socket.send(frame, { binary: false })
    if (socket.bufferedAmount > maxBufferedBytes) {
      log.warn({ userId: connection.userId, bufferedBytes: socket.bufferedAmount }, 'chat socket dropped: it reads too slowly')
      socket.terminate()
    }
  }

  function onClose(this: WebSocket) {
    const connection = connectionOf(this)
    const own = sockets.get(connection.userId)
    if (own instanceof Set) {
      if (!own.delete(connection)) return
      open--
      if (own.size === 1) sockets.set(connection.userId, own.values().next().value as Connection)
      return
    }
    if (own !== connection) return
    open--
    sockets.delete(connection.userId)
    tell('lastSocket', connection.userId)
  }

  const heartbeat = setInterval(() => {
    const now = Date.now()
    for (const own of sockets.values()) {
      for (const connection of each(own)) {
        // A session lasts no longer than the token that opened it.
        if (now >= connection.expiresAt) {
          connection.socket.close(CLOSE_POLICY_VIOLATION, 'token expired; reconnect with a fresh token')
          continue
        }
        if (!connection.alive) {
          connection.socket.terminate()
          continue
        }
        connection.alive = false
        connection.socket.ping()
      }
    }
    onHeartbeat?.()
  }, heartbeatMs).unref()

  return {
    get closing() {
      return closing
    },

    add(socket: WebSocket, userId: number, expiresAt: number, sessionId: string): Connection {
      const connection: Connection = { socket, userId, sessionId, expiresAt, alive: true, pending: undefined }
      ;(socket as WebSocket & { [kConnection]: Connection })[kConnection] = connection
      const own = sockets.get(userId)
      const first = own === undefined
      if (first) sockets.set(userId, connection)
      else if (own instanceof Set) own.add(connection)
      else sockets.set(userId, new Set([own, connection]))
      open++
      socket.on('pong', onPong)
      socket.on('close', onClose)
      if (first) tell('firstSocket', userId)
      return connection
    },

    /** Returns the function that stops observing. */
    observe(observer: SocketObserver): () => void {
      observers.add(observer)
      return () => observers.delete(observer)
    },

    /** Closes (1008) the user's sockets here that were opened with a token of these sessions. */
    endSessions(userId: number, sessionIds: readonly string[]) {
      const ended = new Set(sessionIds)
      for (const connection of connectionsOf(userId)) {
        if (ended.has(connection.sessionId)) connection.socket.close(CLOSE_POLICY_VIOLATION, 'session ended; log in again')
      }
    },

    /** Whether the user has a socket open on this process. */
    has(userId: number): boolean {
      return sockets.has(userId)
    },

    /** How many sockets of this user are open on this process. */
    socketsOf(userId: number) {
      const own = sockets.get(userId)
      return own === undefined ? 0 : own instanceof Set ? own.size : 1
    },

    /** How many sockets are open on this process. */
    get socketsOpen() {
      return open
    },

    /** The users with a socket open on this process. */
    users(): IterableIterator<number> {
      return sockets.keys()
    },

    refuse(connection: Connection, frame: ErrorFrame) {
      metrics?.refused.inc({ code: frame.code })
      send(connection, JSON.stringify(frame))
    },

    /**
     * The ack to the sending socket first, then the message to every socket of the recipient
     * and to the sender's other sockets. A message stored before is only acknowledged again.
     */
    deliver({ message, created }: Saved, from: Connection): Message | undefined {
      // Serialized once: the ack and the message frame differ only in their type.
      const json = toMessage(message)
      const fields = JSON.stringify(json).slice(1)
      send(from, `{"type":"ack",${fields}`)
      if (!created) return undefined
      const frame = Buffer.from(`{"type":"message",${fields}`)
      let delivered = 0
      for (const connection of connectionsOf(message.recipientId)) {
        send(connection, frame)
        delivered++
      }
      for (const connection of connectionsOf(message.senderId)) {
        if (connection === from) continue
        send(connection, frame)
        delivered++
      }
      if (delivered > 0) metrics?.delivered.inc({ origin: 'here' }, delivered)
      return json
    },

    /** A message another process stored (and acknowledged): to every socket here of those of its two people the copy is for. */
    deliverFromElsewhere(message: Message, audience: readonly number[] = [message.senderId, message.recipientId]) {
      let frame: Buffer | undefined
      let delivered = 0
      for (const userId of audience) {
        if (userId !== message.senderId && userId !== message.recipientId) continue
        for (const connection of connectionsOf(userId)) {
          frame ??= Buffer.from(`{"type":"message",${JSON.stringify(message).slice(1)}`)
          send(connection, frame)
          delivered++
        }
      }
      if (delivered > 0) metrics?.delivered.inc({ origin: 'elsewhere' }, delivered)
    },

    /** A frame to every socket here of each of the users. */
    tell(userIds: readonly number[], frame: object) {
      let json: Buffer | undefined
      for (const userId of userIds) {
        for (const connection of connectionsOf(userId)) {
          json ??= Buffer.from(JSON.stringify(frame))
          send(connection, json)
        }
      }
    },

    /**
     * Stops reading, lets what was already received be stored, acknowledged and delivered
     * (`settle`), then closes every socket with 1001; one that does not finish the closing
     * handshake in time is cut.
     */
    async close(settle: () => Promise<void>, graceMs = 2000) {
      closing = true
      clearInterval(heartbeat)
      const all = [...sockets.values()].flatMap((own) => (own instanceof Set ? [...own] : [own]))
      for (const { socket } of all) socket.pause()
      await Promise.all(all.map((connection) => connection.pending))
      await settle()
      await Promise.all(all.map(({ socket }) => new Promise<void>((closed) => {
        if (socket.readyState === WebSocket.CLOSED) return closed()
        socket.once('close', () => closed())
        const cut = setTimeout(() => socket.terminate(), graceMs)
        socket.once('close', () => clearTimeout(cut))
        // Reading again lets the client's closing frame in; new messages are ignored from now on.
        socket.resume()
        socket.close(CLOSE_GOING_AWAY, 'server shutting down')
      })))
    },
  }
}
export type Hub = ReturnType<typeof createHub>
