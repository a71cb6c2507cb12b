import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import fp from 'fastify-plugin'
import { documentErrors, type Document } from './documented-errors.js'

interface Parameter { required?: boolean, schema?: { default?: unknown } }
interface Paths { paths?: Record<string, Record<string, { parameters?: Parameter[] }>> }

/**
 * A parameter with a default may be left out (validation fills the default in), but a schema
 * property that is not Optional comes out as `required: true`; generated clients would then
 * demand ?limit= on every list.
 */
function defaultedParametersOptional(document: Paths) {
  for (const operations of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(operations)) {
      for (const parameter of operation.parameters ?? []) {
        if (parameter.schema?.default !== undefined) parameter.required = false
      }
    }
  }
}

/**
 * A feature's root route (`/` under the prefix `/users`) is served both with and without the
 * trailing slash; the document names it as the README and clients write it, `/users`.
 */
function withoutTrailingSlashes(document: Paths) {
  if (!document.paths) return
  document.paths = Object.fromEntries(Object.entries(document.paths).map(([path, item]) => [path.length > 1 ? path.replace(/\/$/, '') : path, item]))
}

export default fp(async function docs(app) {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Social API',
        version: '1.0.0',
        description: 'Accounts, profiles, follows and chat between mutual followers. ' +
          'Errors always have the shape of the Error schema, with a stable code; each error response lists the codes it can carry.',
        license: { name: 'UNLICENSED (private; no license is granted)' },
      },
      servers: [{ url: 'http://localhost:3000', description: '`npm start` on this machine (PORT 3000)' }],
      tags: [
        { name: 'auth', description: 'Register and log in' },
        { name: 'users', description: 'Profiles and the user directory' },
        { name: 'follows', description: 'Who follows whom' },
        { name: 'pictures', description: 'Profile pictures' },
        { name: 'chat', description: 'Message history (live chat is the WebSocket at /chat)' },
        { name: 'legacy', description: "The original service's routes, kept for its clients" },
        { name: 'operations', description: 'Health, readiness, metrics and documentation' },
      ],
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          metricsToken: { type: 'http', scheme: 'bearer', description: 'METRICS_TOKEN, when the server sets one (else /metrics answers the loopback address only)' },
        },
      },
    },
    transformObject: (documentObject) => {
      const document = 'openapiObject' in documentObject ? documentObject.openapiObject : documentObject.swaggerObject
      defaultedParametersOptional(document as Paths)
      withoutTrailingSlashes(document as Paths)
      documentErrors(document as Document)
      return document
    },
    // Shared schemas keep their $id as their name under components.schemas.
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  })
  await app.register(swaggerUi, { routePrefix: '/docs', logLevel: 'warn', staticCSP: true })
}, { name: 'docs' })
