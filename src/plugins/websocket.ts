import websocket from '@fastify/websocket'
import type { FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { NoWebsocketHere, OriginNotAllowed } from '../errors.js'

export const MAX_FRAME_BYTES = 64 * 1024

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set on the routes that take a WebSocket; an upgrade on any other is refused. */
    websocket?: boolean
  }
}

/**
 * Browsers send cookies and run pages from any site, so a page elsewhere could open a socket
 * in a user's name (cross-site WebSocket hijacking). Browsers always send Origin: it must be
 * this server's own or one listed in ALLOWED_ORIGINS. Clients that are not browsers send none.
 */
function originAllowed(request: FastifyRequest, allowedOrigins: ReadonlySet<string>, publicOrigin: string | undefined): boolean {
  const origin = request.headers.origin
  if (origin === undefined) return true
  if (allowedOrigins.has(origin)) return true
  // Host is whatever name the browser used, so a DNS-rebinding page's own origin matched it.
  if (publicOrigin !== undefined) return origin === publicOrigin
  try {
    return new URL(origin).host === request.host
  } catch {
    return false
  }
}

export default fp<{ allowedOrigins: string[], publicOrigin?: string }>(async function websockets(app, { allowedOrigins, publicOrigin }) {
  await app.register(websocket, {
    options: {
      maxPayload: MAX_FRAME_BYTES,
      // A client that sent its token as "bearer, <token>" must get "bearer" back, or browsers drop it.
      handleProtocols: (protocols) => (protocols.has('bearer') ? 'bearer' : false),
    },
  })
  // The plugin upgrades a socket on any route and then closes it where no socket is handled,
  // logging its URL (a token with it); such an upgrade is refused while it is still HTTP.
  app.addHook('onRoute', (route) => {
    if (route.wsHandler || route.websocket) route.config = { ...route.config, websocket: true }
  })
  const allowed = new Set(allowedOrigins)
  app.addHook('onRequest', async (request) => {
    if (!request.ws) return
    if (!request.routeOptions.config.websocket) throw new NoWebsocketHere(request.url.split('?')[0])
    if (!originAllowed(request, allowed, publicOrigin)) throw new OriginNotAllowed(request.headers.origin)
  })
}, { name: 'websocket' })
