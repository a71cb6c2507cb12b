import { STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { driverErrorCode } from '../db/errors.js'
import { errorCodes, isErrorCode, RouteNotFound, type ErrorCode } from '../errors.js'
import { ErrorSchema, type ErrorBody } from '../schemas/error.js'
import { securityHeaders } from './security.js'

// Codes of Fastify and its plugins that the contract names otherwise.
const renamedCodes: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_REQ_FILE_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_FILES_LIMIT: 'TOO_MANY_FILES',
  FST_PARTS_LIMIT: 'TOO_MANY_PARTS',
  FST_FIELDS_LIMIT: 'TOO_MANY_PARTS',
}

// postgres-js and node:net errors meaning the database cannot be reached right now.
const unreachableDatabase = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'CONNECTION_CLOSED', 'CONNECTION_ENDED',
  'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT', '57P01', '57P02', '57P03',
])

// Server-side failures thrown on purpose, whose message is written for clients and says what to do.
const publicServerErrors = new Set<ErrorCode>(['SERVICE_UNAVAILABLE', 'STORAGE_UNAVAILABLE'])

/** The body for a registered code: its status and reason phrase come from the registry. */
export function errorBody(code: ErrorCode, message: string): ErrorBody {
  const statusCode = errorCodes[code].status
  return { statusCode, code, error: STATUS_CODES[statusCode] ?? 'Error', message }
}

/** Fastify's 415 names only what was sent; the answer also says what the route takes. */
function unsupportedMediaType(request: FastifyRequest): ErrorBody {
  const consumes = (request.routeOptions.schema as { consumes?: string[] } | undefined)?.consumes ?? ['application/json']
  const types = consumes.join(' or ')
  const sent = request.headers['content-type']
  return errorBody('UNSUPPORTED_MEDIA_TYPE', sent === undefined ? `send ${types}, with its Content-Type header` : `send ${types}, not ${sent}`)
}

/**
 * Only registered codes reach a client. A client error of some other code (a Fastify or plugin
 * code nobody registered yet) becomes BAD_REQUEST with its message; a server error, whatever
 * its code, is INTERNAL_SERVER_ERROR (or SERVICE_UNAVAILABLE for a 503) and says nothing of itself.
 */
export function toErrorBody(error: FastifyError): ErrorBody {
  const code = renamedCodes[error.code] ?? error.code
  // STORAGE_UNAVAILABLE caused by a refused connection is the bucket's, not the database's.
  const databaseCode = isErrorCode(code) && publicServerErrors.has(code) ? undefined : driverErrorCode(error)
  if (databaseCode && unreachableDatabase.has(databaseCode)) return errorBody('SERVICE_UNAVAILABLE', 'the database is unavailable; try again shortly')
  const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500
  if (status >= 500) {
    if (isErrorCode(code) && publicServerErrors.has(code)) return errorBody(code, error.message)
    return status === 503 ? errorBody('SERVICE_UNAVAILABLE', 'the service is unavailable; try again shortly') : errorBody('INTERNAL_SERVER_ERROR', 'something went wrong on our side')
  }
  return errorBody(isErrorCode(code) ? code : 'BAD_REQUEST', error.message)
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
const parserErrors: Record<string, ErrorCode> = {
  ERR_HTTP_REQUEST_TIMEOUT: 'REQUEST_TIMEOUT',
  HPE_HEADER_OVERFLOW: 'REQUEST_HEADER_FIELDS_TOO_LARGE',
}

/**
 * Fastify's own answer to a request Node's parser refused (malformed, headers too large, too
 * slow) has no code and none of the security headers; this one is the contract's error shape,
 * written straight to the socket, which is then closed.
 */
export function clientErrorHandler(this: FastifyInstance, error: Error & { code?: string }, socket: Socket) {
  // A client that went away mid-request is nothing for an operator to act on: one line, no stack.
  if (error.code === 'ECONNRESET' || error.code === 'HPE_INVALID_EOF_STATE' || socket.destroyed) {
    this.log.debug({ code: error.code }, 'client went away mid-request')
    if (error.code !== 'HPE_INVALID_EOF_STATE') return
  } else {
    this.log.debug({ err: error }, 'malformed request')
  }
  const code = parserErrors[error.code ?? ''] ?? 'BAD_REQUEST'
  const { status: statusCode, example: message } = errorCodes[code]
  if (socket.writable) {
    const body = JSON.stringify(errorBody(code, message))
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
    const { retryAfterSeconds } = error as { retryAfterSeconds?: unknown }
    // A 503 with Retry-After is load shed on purpose, logged once where the shedding starts: one
    // error line with a stack per refused request would flood the log just when it is busiest.
    if (body.statusCode === 503 && error.code === 'SERVICE_UNAVAILABLE' && typeof retryAfterSeconds === 'number') request.log.debug({ code: body.code }, 'request shed')
    else if (body.statusCode >= 500) request.log.error({ err: error }, 'request failed')
    else if (body.code !== error.code && body.code === 'BAD_REQUEST') request.log.warn({ err: error }, 'an error code outside the registry in src/errors.ts')
    if (body.statusCode === 401) void reply.header('www-authenticate', 'Bearer')
    if (typeof retryAfterSeconds === 'number') void reply.header('retry-after', retryAfterSeconds)
    return reply.code(body.statusCode).send(body)
  })

  app.setNotFoundHandler((request) => {
    throw new RouteNotFound(`${request.method} ${request.url.split('?')[0]}`)
  })
}, { name: 'errors' })
