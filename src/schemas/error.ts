import { STATUS_CODES } from 'node:http'
import { Type, type Static } from '@sinclair/typebox'
import { errorCodes, type ErrorCode } from '../errors.js'

export const ErrorSchema = Type.Object({
  statusCode: Type.Integer({ minimum: 400, maximum: 599, examples: [404] }),
  code: Type.Unsafe<ErrorCode>({
    type: 'string',
    enum: Object.keys(errorCodes),
    description: 'Stable machine-readable error code; each response lists the codes it can carry',
    examples: ['USER_NOT_FOUND'],
  }),
  error: Type.String({ description: 'HTTP reason phrase', examples: ['Not Found'] }),
  message: Type.String({ description: 'Human-readable explanation', examples: ['user 42 not found'] }),
}, { $id: 'Error', title: 'Error', additionalProperties: false })
export type ErrorBody = Static<typeof ErrorSchema>

const retryAfter = {
  'retry-after': { type: 'integer', minimum: 1, description: 'Seconds to wait before trying again' },
}

/** The Swagger UI example of one code: its own status and a message it really has. */
const exampleOf = (code: ErrorCode) => {
  const { status, meaning, example } = errorCodes[code]
  return { summary: meaning, value: { statusCode: status, code, error: STATUS_CODES[status] ?? 'Error', message: example } }
}

/** The OpenAPI response for codes of one status: what each means, an example each, Retry-After on 429. */
export function errorResponseOf(codes: readonly ErrorCode[]) {
  const unique = [...new Set(codes)]
  const statuses = new Set(unique.map((code) => errorCodes[code].status))
  if (statuses.size !== 1) throw new Error(`one error response carries one status, not ${[...statuses].join(', ')} (${unique.join(', ')})`)
  const [status] = statuses as Set<number>
  return {
    ...Type.Ref(ErrorSchema),
    description: unique.map((code) => `\`${code}\`: ${errorCodes[code].meaning}`).join('; '),
    'x-examples': Object.fromEntries(unique.map((code) => [code, exampleOf(code)])),
    ...(status === 429 && { headers: retryAfter }),
  }
}

/**
 * Error responses for a route schema, grouped by status: `response: { 200: Profile,
 * ...errorResponses('USER_NOT_FOUND', ...authCodes) }`. List the codes the route's own rules
 * give; docs.ts adds those every route of its shape can give (a path parameter too long, a
 * JSON body that does not parse, a missing token, a server in trouble).
 */
export function errorResponses(...codes: ErrorCode[]) {
  const byStatus = new Map<number, ErrorCode[]>()
  for (const code of codes) byStatus.set(errorCodes[code].status, [...(byStatus.get(errorCodes[code].status) ?? []), code])
  return Object.fromEntries([...byStatus].map(([status, group]) => [status, Type.Unsafe<ErrorBody>(errorResponseOf(group))])) as
    Record<number, ReturnType<typeof Type.Unsafe<ErrorBody>>>
}

/** The answers any route can give whatever its own rules: bad input, and server trouble. */
export const serverCodes = ['INTERNAL_SERVER_ERROR', 'SERVICE_UNAVAILABLE'] as const satisfies ErrorCode[]
export const tokenCodes = ['UNAUTHORIZED', 'TOKEN_INVALID', 'TOKEN_EXPIRED', 'TOKEN_REVOKED'] as const satisfies ErrorCode[]
export const jsonBodyCodes = ['FST_ERR_CTP_INVALID_JSON_BODY', 'FST_ERR_CTP_EMPTY_JSON_BODY', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE'] as const satisfies ErrorCode[]

const one = (code: ErrorCode) => Type.Unsafe<ErrorBody>(errorResponseOf([code]))

/** Single error responses by kind, for routes written before errorResponses(). */
export const errors = {
  badRequest: one('FST_ERR_VALIDATION'),
  unauthorized: Type.Unsafe<ErrorBody>(errorResponseOf(tokenCodes)),
  notFound: one('USER_NOT_FOUND'),
  conflict: one('USERNAME_TAKEN'),
  tooLarge: one('PAYLOAD_TOO_LARGE'),
  unsupported: one('UNSUPPORTED_MEDIA_TYPE'),
  rateLimited: one('RATE_LIMITED'),
  internal: one('INTERNAL_SERVER_ERROR'),
  unavailable: one('SERVICE_UNAVAILABLE'),
}

export const commonErrors = errorResponses('FST_ERR_VALIDATION', ...serverCodes)

export const authErrors = errorResponses('FST_ERR_VALIDATION', ...serverCodes, ...tokenCodes)
