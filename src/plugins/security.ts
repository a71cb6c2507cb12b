import cors from '@fastify/cors'
import helmet from '@fastify/helmet'
import fp from 'fastify-plugin'

/** Security headers on every answer, and CORS for the browser origins the operator lists. */
export default fp<{ allowedOrigins: string[] }>(async function security(app, { allowedOrigins }) {
  await app.register(helmet, {
    // Images are meant to be embedded by pages on other sites.
    crossOriginResourcePolicy: { policy: 'cross-origin' },
  })
  await app.register(cors, {
    origin: allowedOrigins.length > 0 ? allowedOrigins : false,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'],
    allowedHeaders: ['authorization', 'content-type'],
    maxAge: 600,
  })
}, { name: 'security' })
