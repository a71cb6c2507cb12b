import { Type, type Static } from '@sinclair/typebox'

export const ErrorSchema = Type.Object({
  statusCode: Type.Integer({ minimum: 400, maximum: 599 }),
  code: Type.String({ pattern: '^[A-Z][A-Z0-9_]*$', description: 'Stable machine-readable error code', examples: ['USER_NOT_FOUND'] }),
  error: Type.String({ description: 'HTTP reason phrase', examples: ['Not Found'] }),
  message: Type.String({ description: 'Human-readable explanation', examples: ['user 42 not found'] }),
}, { $id: 'Error', title: 'Error', additionalProperties: false })
export type ErrorBody = Static<typeof ErrorSchema>

const ErrorRef = Type.Ref(ErrorSchema)

const described = (description: string) => Type.Unsafe<ErrorBody>({ ...ErrorRef, description })

/** Error responses every route may answer, by the kind of route. */
export const errors = {
  badRequest: described('Invalid input (code FST_ERR_VALIDATION names the field), or a rule of this route'),
  unauthorized: described('Missing, invalid or expired bearer token (UNAUTHORIZED, TOKEN_INVALID, TOKEN_EXPIRED)'),
  notFound: described('No such user (USER_NOT_FOUND)'),
  conflict: described('Conflict'),
  tooLarge: described('Body over the size limit (PAYLOAD_TOO_LARGE)'),
  unsupported: described('Unsupported media type (UNSUPPORTED_MEDIA_TYPE)'),
  rateLimited: described('Too many requests (RATE_LIMITED); see the Retry-After header'),
  internal: described('Unexpected server error (INTERNAL_SERVER_ERROR); details are only in the server log'),
  unavailable: described('Temporarily unavailable, retry later: the database (SERVICE_UNAVAILABLE) or picture storage (STORAGE_UNAVAILABLE)'),
}

/** The answers any route can give whatever its own rules: bad input, and server trouble. */
export const commonErrors = {
  400: errors.badRequest,
  500: errors.internal,
  503: errors.unavailable,
}

export const authErrors = {
  ...commonErrors,
  401: errors.unauthorized,
}
