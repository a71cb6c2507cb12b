import { IncomingMessage, ServerResponse } from 'node:http'
import { Socket } from 'node:net'
import cors from '@fastify/cors'
import fastifyHelmet from '@fastify/helmet'
import fp from 'fastify-plugin'
import helmet from 'helmet'
import { NoAllowedOrigins } from '../errors.js'

const helmetOptions = {
  // Images are meant to be embedded by pages on other sites.
  crossOriginResourcePolicy: { policy: 'cross-origin' as const },
}

/**
 * The headers helmet sets, for answers written without Fastify (errors of Node's HTTP parser):
 * helmet is run once against a response that is never sent, and its headers are read back.
 */
export const securityHeaders: Readonly<Record<string, string>> = (() => {
  const request = new IncomingMessage(new Socket())
  const response = new ServerResponse(request)
  helmet(helmetOptions)(request, response, () => {})
  return Object.fromEntries(Object.entries(response.getHeaders()).map(([name, value]) => [name, String(value)]))
})()

/** A path whose answers may be kept by caches whoever asks (a picture's name changes with its bytes). */
const immutablePath = (url: string) => url.startsWith('/images/')

/** Security headers on every answer, and CORS for the browser origins the operator lists. */
export default fp<{ allowedOrigins: string[] }>(async function security(app, { allowedOrigins }) {
  await app.register(fastifyHelmet, helmetOptions)
  await app.register(cors, {
    origin: allowedOrigins.length > 0 ? allowedOrigins : false,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'],
    allowedHeaders: ['authorization', 'content-type'],
    maxAge: 600,
  })
  if (allowedOrigins.length === 0) {
    // CORS is off, so a preflight from a page elsewhere (a dev server on localhost:5173) was a
    // bare 404 for OPTIONS; it is told what to set instead, as the chat socket's 403 does.
    app.addHook('onRequest', async (request) => {
      const { origin } = request.headers
      if (request.method === 'OPTIONS' && origin && request.headers['access-control-request-method']) throw new NoAllowedOrigins(origin, origin)
    })
  }
  // Tokens and what a token unlocks must not stay in a browser's or a proxy's cache, nor on a disk.
  app.addHook('onSend', async (request, reply) => {
    if (immutablePath(request.url)) return
    if (request.headers.authorization !== undefined || request.url.startsWith('/auth/')) {
      void reply.header('cache-control', 'no-store')
    }
  })
}, { name: 'security' })
