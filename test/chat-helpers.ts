import type { AddressInfo } from 'node:net'
import type { Static } from '@sinclair/typebox'
import { Ajv } from 'ajv'
import addFormats from 'ajv-formats'
import WebSocket, { type ClientOptions } from 'ws'
import type { App } from '../src/app.js'
import { AckFrame, ErrorFrame, MessageFrame, PresenceFrame, ReadFrame, TypingFrame } from '../src/features/chat/schemas.js'

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

  close() {
    this.socket.close()
    return this.closed
  }
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
