import { PassThrough } from 'node:stream'
import fp from 'fastify-plugin'
import { RequestTimeout } from '../errors.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route reads its own body (a multipart upload) and bounds the time it takes itself. */
    readsOwnBody?: boolean
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
  // for as long as the client cares to send.
  app.addHook('onSend', async (request, reply) => {
    if (!request.raw.complete) void reply.header('connection', 'close')
  })
}, { name: 'receive-deadline' })
