import { STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { driverErrorCode } from '../db/errors.js'
import { ErrorSchema, type ErrorBody } from '../schemas/error.js'
import { securityHeaders } from './security.js'

// Fastify's own codes for these are renamed to the ones the contract documents.
const renamedCodes: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_REQ_FILE_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_FILES_LIMIT: 'TOO_MANY_FILES',
  FST_PARTS_LIMIT: 'TOO_MANY_PARTS',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'NOT_MULTIPART',
}

// postgres-js and node:net errors meaning the database cannot be reached right now.
const unreachableDatabase = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'CONNECTION_CLOSED', 'CONNECTION_ENDED',
  'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT', '57P01', '57P02', '57P03',
])

// Server-side failures thrown on purpose, whose message is written for clients and says what to do.
const publicServerErrors = new Set(['STORAGE_UNAVAILABLE'])

const codeFromStatus = (statusCode: number) =>
  (STATUS_CODES[statusCode] ?? 'Error').toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_|_$/g, '')

export function errorBody(statusCode: number, code: string, message: string): ErrorBody {
  return { statusCode, code, error: STATUS_CODES[statusCode] ?? 'Error', message }
}

/** Fastify's 415 names only what was sent; the answer also says what the route takes. */
function unsupportedMediaType(request: FastifyRequest): ErrorBody {
  const consumes = (request.routeOptions.schema as { consumes?: string[] } | undefined)?.consumes ?? ['application/json']
  const types = consumes.join(' or ')
  const sent = request.headers['content-type']
  return errorBody(415, 'UNSUPPORTED_MEDIA_TYPE', sent === undefined ? `send ${types}, with its Content-Type header` : `send ${types}, not ${sent}`)
}

export function toErrorBody(error: FastifyError): ErrorBody {
  const code = error.code as string | undefined
  const databaseCode = driverErrorCode(error)
  if (databaseCode && unreachableDatabase.has(databaseCode)) {
    return errorBody(503, 'SERVICE_UNAVAILABLE', 'the database is unavailable; try again shortly')
  }
  const statusCode = error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500
  if (code && publicServerErrors.has(code)) return errorBody(statusCode, code, error.message)
  if (statusCode >= 500) return errorBody(statusCode, codeFromStatus(statusCode), 'something went wrong on our side')
  const publicCode = code && /^[A-Z][A-Z0-9_]*$/.test(code) ? (renamedCodes[code] ?? code) : codeFromStatus(statusCode)
  return errorBody(statusCode, publicCode, error.message)
}

/**
 * Errors the router answers before any hook or handler (a path parameter over maxParamLength,
 * a path that does not decode), which Fastify otherwise writes in a shape of its own.
 */
export const frameworkErrors = (error: FastifyError, _request: FastifyRequest, reply: FastifyReply) => {
  const body = toErrorBody(error)
  return reply.code(body.statusCode).send(body)
}

// What Node's HTTP parser reports, before there is a request for Fastify to answer.
const parserErrors: Record<string, [number, string]> = {
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'the request was not received in time'],
  HPE_HEADER_OVERFLOW: [431, 'the request headers are too large'],
}

/**
 * Fastify's own answer to a request Node's parser refused (malformed, headers too large, too
 * slow) has no code and none of the security headers; this one is the contract's error shape,
 * written straight to the socket, which is then closed.
 */
export function clientErrorHandler(this: FastifyInstance, error: Error & { code?: string }, socket: Socket) {
  if (error.code === 'ECONNRESET' || socket.destroyed) return
  const [statusCode, message] = parserErrors[error.code ?? ''] ?? [400, 'the request is malformed']
  this.log.debug({ err: error }, 'malformed request')
  if (socket.writable) {
    const body = JSON.stringify(errorBody(statusCode, codeFromStatus(statusCode), message))
    const headers = { ...securityHeaders, 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(body)), connection: 'close' }
    const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('')
    socket.write(`HTTP/1.1 ${statusCode} ${STATUS_CODES[statusCode]}\r\n${head}\r\n${body}`)
  }
  socket.destroy(error)
}

/** One error shape for everything; 5xx details go to the log with the request id, never to the client. */
export default fp(async function errors(app) {
  app.addSchema(ErrorSchema)

  // JSON in and out: a text/plain body is refused (415) like any other type, instead of being
  // read as a string and answering 400 "body must be object".
  app.removeContentTypeParser('text/plain')

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const body = error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? unsupportedMediaType(request) : toErrorBody(error)
    if (body.statusCode >= 500) request.log.error({ err: error }, 'request failed')
    if (body.statusCode === 401) void reply.header('www-authenticate', 'Bearer')
    return reply.code(body.statusCode).send(body)
  })

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0]
    return reply.code(404).send(errorBody(404, 'ROUTE_NOT_FOUND', `route ${request.method} ${path} not found`))
  })
}, { name: 'errors' })
