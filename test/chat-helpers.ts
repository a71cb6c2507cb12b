import type { AddressInfo } from 'node:net'
import type { Static } from '@sinclair/typebox'
import { Ajv } from 'ajv'
import addFormats from 'ajv-formats'
import WebSocket, { type ClientOptions } from 'ws'
import type { App, BuildOptions } from '../src/app.js'
import { AckFrame, ErrorFrame, MessageFrame, PresenceFrame, ReadFrame, TypingFrame } from '../src/features/chat/schemas.js'
import { buildTestApp, register } from './helper.js'

export type Frame = Static<typeof MessageFrame> | Static<typeof AckFrame> | Static<typeof ErrorFrame>
  | Static<typeof ReadFrame> | Static<typeof TypingFrame> | Static<typeof PresenceFrame>

// Ajv, as JSON Schema counts maxLength in code points (TypeBox's checker counts UTF-16 units).
const ajv = addFormats.default(new Ajv({ strict: false }))
const frameChecks = {
  message: ajv.compile(MessageFrame), ack: ajv.compile(AckFrame), error: ajv.compile(ErrorFrame),
  read: ajv.compile(ReadFrame), typing: ajv.compile(TypingFrame), presence: ajv.compile(PresenceFrame),
}

/** Listens on a loopback port and answers the ws:// base URL. */
export async function listen(app: App): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' })
  return `ws://127.0.0.1:${(app.server.address() as AddressInfo).port}`
}

export async function follow(app: App, from: { auth: Record<string, string> }, to: { id: number }, method: 'PUT' | 'DELETE' = 'PUT') {
  const response = await app.inject({ method, url: `/users/${to.id}/follow`, headers: from.auth })
  if (response.statusCode !== 200) throw new Error(`follow: ${response.statusCode} ${response.body}`)
}

/** Through the HTTP routes, so the follow events (and the chat's cache invalidation) run. */
export async function befriend(app: App, a: { id: number, auth: Record<string, string> }, b: { id: number, auth: Record<string, string> }) {
  await follow(app, a, b)
  await follow(app, b, a)
}

/** A real WebSocket client that queues the frames it receives, each checked against the contract's schemas. */
export class ChatClient {
  readonly frames: Frame[] = []
  private waiting: Array<(frame: Frame) => void> = []
  readonly closed: Promise<{ code: number, reason: string }>

  /** `presence`: keep presence frames, which most tests, about something else, would trip on. */
  constructor(readonly socket: WebSocket, presence = false) {
    socket.on('message', (data, isBinary) => {
      const frame = JSON.parse(data.toString()) as Frame
      if (isBinary || !frameChecks[frame.type]?.(frame)) throw new Error(`frame off the contract: ${data.toString().slice(0, 200)}`)
      if (frame.type === 'presence' && !presence) return
      const waiter = this.waiting.shift()
      if (waiter) waiter(frame)
      else this.frames.push(frame)
    })
    this.closed = new Promise((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })))
  }

  static async connect(url: string, options: { token?: string, protocols?: string[], headers?: Record<string, string>, ws?: ClientOptions, presence?: boolean } = {}) {
    const target = options.token === undefined ? url : `${url}${url.includes('?') ? '&' : '?'}token=${options.token}`
    const socket = new WebSocket(target, options.protocols ?? [], { headers: options.headers, ...options.ws })
    await new Promise<void>((resolve, reject) => {
      socket.once('open', resolve)
      socket.once('error', reject)
      socket.once('unexpected-response', (_request, response) => reject(new Error(`upgrade refused: ${response.statusCode}`)))
    })
    return new ChatClient(socket, options.presence)
  }

  /**
   * A socket through Fastify's injectWS: the upgrade runs the same hooks and routes, with no port.
   * For tests where the network adds nothing; closes, backpressure and other processes need connect().
   */
  static async inject(app: App, path: string, options: { token?: string, headers?: Record<string, string>, presence?: boolean } = {}) {
    const target = options.token === undefined ? path : `${path}${path.includes('?') ? '&' : '?'}token=${options.token}`
    // The upgrade context is the raw request the hooks see: a GET upgrade's body (none) is
    // complete, and its socket, the TCP one in production, says where the request came from.
    const upgrade = { headers: options.headers, complete: true, socket: { remoteAddress: '127.0.0.1' } } as Parameters<App['injectWS']>[1]
    return new ChatClient(await app.injectWS(target, upgrade), options.presence)
  }

  send(frame: unknown) {
    this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame))
  }

  /** The next frame received, failing after timeoutMs instead of hanging the test. */
  next(timeoutMs = 5000): Promise<Frame> {
    const queued = this.frames.shift()
    if (queued) return Promise.resolve(queued)
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting = this.waiting.filter((waiter) => waiter !== done)
        reject(new Error(`no frame within ${timeoutMs} ms`))
      }, timeoutMs)
      const done = (frame: Frame) => {
        clearTimeout(timer)
        resolve(frame)
      }
      this.waiting.push(done)
    })
  }

  /** The next frame, which must be of this type. */
  async nextOf<T extends Frame['type']>(type: T, timeoutMs?: number): Promise<Extract<Frame, { type: T }>> {
    const frame = await this.next(timeoutMs)
    if (frame.type !== type) throw new Error(`expected a ${type} frame, got ${JSON.stringify(frame)}`)
    return frame as Extract<Frame, { type: T }>
  }

  /**
   * The next frame of this type that `matches`, skipping any other (presence is skipped unless
   * kept, and deliveries of messages sent in between arrive in their own order).
   */
  async nextWhere<T extends Frame['type']>(type: T, matches: (frame: Extract<Frame, { type: T }>) => boolean = () => true, timeoutMs?: number) {
    for (;;) {
      const frame = await this.next(timeoutMs)
      if (frame.type === type && matches(frame as Extract<Frame, { type: T }>)) return frame as Extract<Frame, { type: T }>
    }
  }

  close() {
    this.socket.close()
    return this.closed
  }
}

type Account = Awaited<ReturnType<typeof register>>
type ConnectOptions = { token?: string, headers?: Record<string, string>, presence?: boolean }

/** An app that chat tests talk to: over a loopback port (`url` set) or through injectWS. */
export interface ChatServer {
  app: App
  /** The ws:// base URL when the server listens; null when sockets are injected. */
  url: string | null
  /** A socket of this user at /chat (or `path`), closed when the test ends. */
  connect(t: Teardown, user: { token: string }, options?: ConnectOptions & { path?: string }): Promise<ChatClient>
}

type Teardown = { teardown(fn: () => unknown): void }

/**
 * The production app for chat tests, with the chat limit off unless `env` sets one. `network`:
 * listen on a real port, where the network matters (backpressure, closes, heartbeats, the token's
 * transports, more processes); else every socket goes through injectWS.
 */
export async function chatServer(t: Teardown, { env = {}, build = {}, network = false }: { env?: Record<string, string>, build?: BuildOptions, network?: boolean } = {}): Promise<ChatServer> {
  const app = await buildTestApp(t, { CHAT_RATE_LIMIT: '0', ...env }, build)
  const url = network ? await listen(app) : null
  return {
    app,
    url,
    async connect(t, user, { path = '/chat', ...options } = {}) {
      const client = url === null
        ? await ChatClient.inject(app, path, { token: user.token, ...options })
        : await ChatClient.connect(`${url}${path}`, { token: user.token, ...options })
      // A socket the test closed (or the server did) resolves at once.
      t.teardown(() => client.socket.readyState === client.socket.CLOSED ? undefined : client.close())
      return client
    },
  }
}

export type Chatter = Account & { client: ChatClient }

/**
 * Two users who follow each other, each with one open socket: Alice and Bob. On the file's
 * `server` when given (fresh users each call, so no test sees another's), else on an app built
 * for this test from `env`, `build` and `network`.
 */
export async function chatPair(t: Teardown, options: { server?: ChatServer, env?: Record<string, string>, build?: BuildOptions, network?: boolean, presence?: boolean } = {}) {
  const server = options.server ?? await chatServer(t, options)
  const { app } = server
  const [alice, bob] = [await register(app), await register(app)]
  await befriend(app, alice, bob)
  const aliceClient = await server.connect(t, alice, { presence: options.presence })
  const bobClient = await server.connect(t, bob, { presence: options.presence })
  return { ...server, alice: { ...alice, client: aliceClient } as Chatter, bob: { ...bob, client: bobClient } as Chatter }
}

/** Upgrade attempts that must be refused: the HTTP status and body the server answered. */
export function refusedUpgrade(url: string, options: { protocols?: string[], headers?: Record<string, string> } = {}) {
  return new Promise<{ statusCode: number, body: Record<string, unknown> }>((resolve, reject) => {
    const socket = new WebSocket(url, options.protocols ?? [], { headers: options.headers })
    socket.once('open', () => {
      socket.close()
      reject(new Error('the upgrade was accepted'))
    })
    socket.once('unexpected-response', (_request, response) => {
      let body = ''
      response.on('data', (chunk: Buffer) => { body += chunk.toString() })
      response.on('end', () => resolve({ statusCode: response.statusCode ?? 0, body: JSON.parse(body) }))
    })
    socket.once('error', () => {})
  })
}
