import { STATUS_CODES } from 'node:http'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { driverErrorCode } from '../db/errors.js'
import { ErrorSchema, type ErrorBody } from '../schemas/error.js'

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

/** One error shape for everything; 5xx details go to the log with the request id, never to the client. */
export default fp(async function errors(app) {
  app.addSchema(ErrorSchema)

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const body = toErrorBody(error)
    if (body.statusCode >= 500) request.log.error({ err: error }, 'request failed')
    if (body.statusCode === 401) void reply.header('www-authenticate', 'Bearer')
    return reply.code(body.statusCode).send(body)
  })

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0]
    return reply.code(404).send(errorBody(404, 'ROUTE_NOT_FOUND', `route ${request.method} ${path} not found`))
  })
}, { name: 'errors' })
