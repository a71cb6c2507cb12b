import createError from '@fastify/error'

// Every error a client can see, with its stable code. The error handler shapes them all alike.
export const UsernameTaken = createError('USERNAME_TAKEN', "username '%s' is taken", 409)
export const InvalidCredentials = createError('INVALID_CREDENTIALS', 'username or password is wrong', 401)
export const Unauthorized = createError('UNAUTHORIZED', 'a bearer token is required: send Authorization: Bearer <token>', 401)
export const TokenInvalid = createError('TOKEN_INVALID', 'the token is not valid: %s', 401)
export const TokenExpired = createError('TOKEN_EXPIRED', 'the token has expired; log in again', 401)
export const UserNotFound = createError('USER_NOT_FOUND', 'user %s not found', 404)
export const CannotFollowSelf = createError('CANNOT_FOLLOW_SELF', 'you cannot follow yourself', 400)
export const InvalidCursor = createError('INVALID_CURSOR', 'cursor is not one this list gave out', 400)
export const RateLimited = createError('RATE_LIMITED', 'too many requests; retry in %s seconds', 429)
export const PayloadTooLarge = createError('PAYLOAD_TOO_LARGE', '%s', 413)
export const UnsupportedMediaType = createError('UNSUPPORTED_MEDIA_TYPE', '%s', 415)
