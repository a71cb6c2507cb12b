import type { IncomingMessage } from 'node:http'
import { PassThrough } from 'node:stream'
import fp from 'fastify-plugin'
import { RequestTimeout } from '../errors.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route reads its own body (a multipart upload) and bounds the time it takes itself. */
    readsOwnBody?: boolean
  }
}

/** How long a connection answered early still reads (and drops) what its client sends before it is closed. */
export const LINGER_MS = 2000

/**
 * Node closes a connection answered with `connection: close` the moment the answer is written
 * (socket.destroySoon). The body still in flight then meets a closed socket, the kernel answers
 * it with a reset, and the client loses the answer: EPIPE while it still sends, or the answer
 * dropped from its receive buffer before it read it (nodejs/node#12339, #38467). This socket
 * closes as RFC 9112 section 9.6 says instead: it half-closes (the answer and a FIN go out),
 * reads and drops whatever still arrives, and closes when the client does, or LINGER_MS later.
 */
function closeLingering(request: IncomingMessage) {
  const socket = request.socket
  socket.destroySoon = function lingeringClose() {
    const timer = setTimeout(() => socket.destroy(), LINGER_MS)
    socket.once('close', () => clearTimeout(timer))
    // Both sides ended: the socket destroys itself.
    socket.once('end', () => socket.destroy())
    // A body piped to a parser that stopped (a multipart upload over the limit) no longer pulls.
    request.unpipe()
    request.resume()
    socket.end()
  }
}

export const requestTimeout = (seconds: number) => new RequestTimeout(`the request body did not arrive within ${seconds} seconds`)

/**
 * A body must arrive within `bodyTimeoutMs` of its headers: Node bounds the headers only, so a
 * client sending a byte every few seconds held its connection (and a request) for ever. The
 * answer is a 408 the client can still read, and the connection is closed after it.
 */
export default fp<{ bodyTimeoutMs: number }>(async function receiveDeadline(app, { bodyTimeoutMs }) {
  app.addHook('preParsing', async (request, _reply, payload) => {
    if (request.routeOptions.config.readsOwnBody || request.raw.complete) return payload
    const bounded = new PassThrough()
    const timer = setTimeout(() => bounded.destroy(requestTimeout(bodyTimeoutMs / 1000)), bodyTimeoutMs)
    bounded.once('end', () => clearTimeout(timer)).once('close', () => clearTimeout(timer))
    // A route that never reads its body (a 415) must not turn the deadline into an uncaught error.
    bounded.on('error', () => {})
    request.raw.once('close', () => clearTimeout(timer))
    return payload.pipe(bounded)
  })

  // A request answered before its body was read to the end is not drained: that would read on
  // for as long as the client cares to send. The connection is closed after the answer instead.
  app.addHook('onSend', async (request, reply) => {
    if (request.raw.complete) return
    void reply.header('connection', 'close')
    closeLingering(request.raw)
  })
}, { name: 'receive-deadline' })
