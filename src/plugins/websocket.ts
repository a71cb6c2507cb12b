import websocket from '@fastify/websocket'
import fp from 'fastify-plugin'

export const MAX_FRAME_BYTES = 64 * 1024

export default fp(async function websockets(app) {
  await app.register(websocket, {
    options: {
      maxPayload: MAX_FRAME_BYTES,
      // A client that sent its token as "bearer, <token>" must get "bearer" back, or browsers drop it.
      handleProtocols: (protocols) => (protocols.has('bearer') ? 'bearer' : false),
    },
  })
}, { name: 'websocket' })
