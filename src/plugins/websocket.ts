import websocket from '@fastify/websocket'
import type { FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { OriginNotAllowed } from '../errors.js'

export const MAX_FRAME_BYTES = 64 * 1024

/**
 * Browsers send cookies and run pages from any site, so a page elsewhere could open a socket
 * in a user's name (cross-site WebSocket hijacking). Browsers always send Origin: it must be
 * this server's own or one listed in ALLOWED_ORIGINS. Clients that are not browsers send none.
 */
function originAllowed(request: FastifyRequest, allowedOrigins: ReadonlySet<string>): boolean {
  const origin = request.headers.origin
  if (origin === undefined) return true
  if (allowedOrigins.has(origin)) return true
  try {
    return new URL(origin).host === request.host
  } catch {
    return false
  }
}

export default fp<{ allowedOrigins: string[] }>(async function websockets(app, { allowedOrigins }) {
  await app.register(websocket, {
    options: {
      maxPayload: MAX_FRAME_BYTES,
      // A client that sent its token as "bearer, <token>" must get "bearer" back, or browsers drop it.
      handleProtocols: (protocols) => (protocols.has('bearer') ? 'bearer' : false),
    },
  })
  const allowed = new Set(allowedOrigins)
  app.addHook('onRequest', async (request) => {
    if (request.ws && !originAllowed(request, allowed)) throw new OriginNotAllowed(request.headers.origin)
  })
}, { name: 'websocket' })
