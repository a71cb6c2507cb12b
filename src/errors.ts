import createError from '@fastify/error'

interface CodeEntry {
  status: number
  /** What the code means for a client; the OpenAPI document and the README say the same. */
  meaning: string
  /** A message as a client receives it, for the document's examples. */
  example: string
}

/**
 * Every code a client can see in an error answer, with its status. The error handler lets no
 * other code out, the OpenAPI document's error responses are built from it, and a test checks
 * that README's error table names the same codes. A new code starts here.
 */
export const errorCodes = {
  FST_ERR_VALIDATION: { status: 400, meaning: 'the request breaks its schema; the message names the field', example: 'params/id must be >= 1' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, meaning: 'the body is not JSON', example: "Body is not valid JSON but content-type is set to 'application/json'" },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, meaning: 'a JSON content type with an empty body', example: "Body cannot be empty when content-type is set to 'application/json'" },
  BAD_REQUEST: { status: 400, meaning: 'a request the server cannot read in some other way (malformed HTTP, a URL that does not decode)', example: 'the request is malformed' },
  INVALID_CURSOR: { status: 400, meaning: 'a cursor this list did not hand out', example: 'cursor is not one this list gave out' },
  INVALID_READ_MARKER: { status: 400, meaning: 'a read marker (upTo) that is not a message of this conversation', example: 'message 1234 is not in your conversation with user 4' },
  CANNOT_FOLLOW_SELF: { status: 400, meaning: 'following yourself', example: 'you cannot follow yourself' },
  CANNOT_BLOCK_SELF: { status: 400, meaning: 'blocking yourself', example: 'you cannot block yourself' },
  FILE_REQUIRED: { status: 400, meaning: 'no file in the field profilePicture', example: 'send the picture as multipart/form-data in the file field profilePicture' },
  EMPTY_FILE: { status: 400, meaning: 'the file is empty', example: 'the file profilePicture is empty' },
  TOO_MANY_FILES: { status: 400, meaning: 'more than one file', example: 'send exactly one file, in the field profilePicture' },
  INVALID_IMAGE: { status: 400, meaning: 'bytes that do not decode as the image type they claim', example: 'the file could not be decoded as a png image' },
  TOO_MANY_PIXELS: { status: 400, meaning: 'image dimensions too large to decode safely', example: 'the image is 20000x20000; at most 40 megapixels are accepted' },
  IMAGE_TOO_COMPLEX: { status: 400, meaning: 'an image that would cost too much to decode: a JPEG of too many progressive scans for its size, or one taking over 20 s', example: 'the JPEG has 883 scans of 7000x7000 pixels; at most 100 scans and 600000000 scanned pixels are accepted' },
  INVALID_MULTIPART: { status: 400, meaning: 'a malformed multipart/form-data body', example: 'the multipart/form-data body is malformed' },
  NO_WEBSOCKET_HERE: { status: 400, meaning: 'a WebSocket upgrade on a path that takes none (only /chat and / do)', example: 'no WebSocket at /users/me; the chat socket is at /chat (see docs/chat.md)' },
  UNAUTHORIZED: { status: 401, meaning: 'no bearer token', example: 'a bearer token is required: send Authorization: Bearer <token>' },
  TOKEN_INVALID: { status: 401, meaning: 'a token that is malformed, forged, of another algorithm, or of a deleted user', example: 'the token is not valid: bad format, signature or algorithm' },
  TOKEN_EXPIRED: { status: 401, meaning: 'an expired token: log in again', example: 'the token has expired; log in again' },
  TOKEN_REVOKED: { status: 401, meaning: 'the session the token names has ended (logout, ended from another device, password change, erasure) or the token names none: log in again', example: 'the session has ended; log in again' },
  INVALID_CREDENTIALS: { status: 401, meaning: 'wrong username or password (the same answer for both)', example: 'username or password is wrong' },
  METRICS_UNAUTHORIZED: { status: 401, meaning: 'METRICS_TOKEN is set and the request to /metrics did not carry it as a bearer token', example: 'send Authorization: Bearer <METRICS_TOKEN>' },
  METRICS_LOOPBACK_ONLY: { status: 403, meaning: 'METRICS_TOKEN is not set, so /metrics answers requests from the loopback address only', example: '/metrics answers the loopback address only; set METRICS_TOKEN to scrape it from elsewhere' },
  ORIGIN_NOT_ALLOWED: { status: 403, meaning: 'a browser page from an origin not in ALLOWED_ORIGINS opening the chat socket, or sending a CORS preflight while ALLOWED_ORIGINS is unset', example: "origin 'https://elsewhere.example' may not open a WebSocket here; see ALLOWED_ORIGINS" },
  BLOCKED: { status: 403, meaning: 'one of the two people blocks the other, so neither may follow the other', example: 'you and user 42 cannot follow each other: one blocks the other' },
  NOT_MUTUAL_FOLLOWERS: { status: 403, meaning: 'only mutual followers may see this of each other (presence)', example: 'you and user 4 do not follow each other' },
  USER_NOT_FOUND: { status: 404, meaning: 'a well-formed id of nobody', example: 'user 42 not found' },
  CONVERSATION_NOT_FOUND: { status: 404, meaning: 'the caller and that user never exchanged a message', example: 'you have no conversation with user 4' },
  SESSION_NOT_FOUND: { status: 404, meaning: 'no session of the caller has this id', example: 'session 0b7e6c4e-54a4-4c87-9b8f-2f3c1d2e4a5b not found' },
  IMAGE_NOT_FOUND: { status: 404, meaning: 'no such picture under /images/', example: 'image /images/nothing.webp not found' },
  ROUTE_NOT_FOUND: { status: 404, meaning: 'no such route', example: 'route GET /nowhere not found' },
  REQUEST_TIMEOUT: { status: 408, meaning: 'the request did not arrive in time: a JSON body within BODY_TIMEOUT, an upload within UPLOAD_TIMEOUT', example: 'the request was not received in time' },
  USERNAME_TAKEN: { status: 409, meaning: 'the username exists, in any letter case', example: "username 'alice' is taken" },
  PAYLOAD_TOO_LARGE: { status: 413, meaning: 'a body or upload over its limit', example: 'Request body is too large' },
  TOO_MANY_PARTS: { status: 413, meaning: 'a multipart body with too many parts', example: 'reach parts limit' },
  FST_ERR_MAX_PARAM_LENGTH: { status: 414, meaning: 'a path parameter over 100 characters', example: 'maxParamLength limit exceeded' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, meaning: 'a content type (or image format) the route does not take', example: 'Unsupported Media Type: text/plain' },
  UPGRADE_REQUIRED: { status: 426, meaning: 'a plain HTTP request to the WebSocket endpoint /chat', example: '/chat only speaks WebSocket: send an upgrade request (see docs/chat.md)' },
  RATE_LIMITED: { status: 429, meaning: 'too many attempts; wait Retry-After seconds', example: 'too many requests; retry in 60 seconds' },
  TOO_MANY_SOCKETS: { status: 429, meaning: 'the user already holds CHAT_SOCKETS_PER_USER chat sockets on this server; close one', example: 'at most 10 chat sockets per user are open at once; close one first' },
  REQUEST_HEADER_FIELDS_TOO_LARGE: { status: 431, meaning: 'request headers over 16 KiB', example: 'the request headers are too large' },
  INTERNAL_SERVER_ERROR: { status: 500, meaning: 'a bug; the details are in the server log under the request id, never in the answer', example: 'something went wrong on our side' },
  SERVICE_UNAVAILABLE: { status: 503, meaning: 'the server is overloaded, the database is not answering, or too many passwords or pictures are waiting to be processed (retry after Retry-After seconds)', example: 'the database is unavailable; try again shortly' },
  STORAGE_UNAVAILABLE: { status: 503, meaning: 'a picture could not be written to or read from UPLOAD_DIR or S3_BUCKET', example: 'the picture could not be stored right now; try again later' },
} as const satisfies Record<string, CodeEntry>

export type ErrorCode = keyof typeof errorCodes

export const isErrorCode = (code: unknown): code is ErrorCode => typeof code === 'string' && Object.hasOwn(errorCodes, code)

/** An error class for a registered code, thrown as `throw new UserNotFound(id)`; `%s` takes the arguments. */
const defineError = (code: ErrorCode, message: string) => createError(code, message, errorCodes[code].status)

export const UsernameTaken = defineError('USERNAME_TAKEN', "username '%s' is taken")
export const InvalidCredentials = defineError('INVALID_CREDENTIALS', 'username or password is wrong')
export const Unauthorized = defineError('UNAUTHORIZED', 'a bearer token is required: send Authorization: Bearer <token>')
export const TokenInvalid = defineError('TOKEN_INVALID', 'the token is not valid: %s')
export const TokenRevoked = defineError('TOKEN_REVOKED', 'the session has ended; log in again%s')
export const SessionNotFound = defineError('SESSION_NOT_FOUND', 'session %s not found')
export const Blocked = defineError('BLOCKED', 'you and user %s cannot follow each other: one blocks the other')
export const CannotBlockSelf = defineError('CANNOT_BLOCK_SELF', 'you cannot block yourself')
export const TokenExpired = defineError('TOKEN_EXPIRED', 'the token has expired; log in again')
export const UserNotFound = defineError('USER_NOT_FOUND', 'user %s not found')
export const ImageNotFound = defineError('IMAGE_NOT_FOUND', 'image %s not found')
export const RouteNotFound = defineError('ROUTE_NOT_FOUND', 'route %s not found')
export const CannotFollowSelf = defineError('CANNOT_FOLLOW_SELF', 'you cannot follow yourself')
export const InvalidCursor = defineError('INVALID_CURSOR', 'cursor is not one this list gave out')
export const RateLimited = defineError('RATE_LIMITED', 'too many requests; retry in %s seconds')
export const PayloadTooLarge = defineError('PAYLOAD_TOO_LARGE', '%s')
export const UnsupportedMediaType = defineError('UNSUPPORTED_MEDIA_TYPE', '%s')
export const FileRequired = defineError('FILE_REQUIRED', '%s')
export const EmptyFile = defineError('EMPTY_FILE', 'the file profilePicture is empty')
export const TooManyFiles = defineError('TOO_MANY_FILES', 'send exactly one file, in the field profilePicture')
export const InvalidImage = defineError('INVALID_IMAGE', 'the file could not be decoded as a %s image')
export const TooManyPixels = defineError('TOO_MANY_PIXELS', '%s')
export const ImageTooComplex = defineError('IMAGE_TOO_COMPLEX', '%s')
export const InvalidMultipart = defineError('INVALID_MULTIPART', 'the multipart/form-data body is malformed')
export const UpgradeRequired = defineError('UPGRADE_REQUIRED', '%s only speaks WebSocket: send an upgrade request (see docs/chat.md)')
export const NoWebsocketHere = defineError('NO_WEBSOCKET_HERE', 'no WebSocket at %s; the chat socket is at /chat (see docs/chat.md)')
export const OriginNotAllowed = defineError('ORIGIN_NOT_ALLOWED', "origin '%s' may not open a WebSocket here; see ALLOWED_ORIGINS")
export const MetricsUnauthorized = defineError('METRICS_UNAUTHORIZED', 'send Authorization: Bearer <METRICS_TOKEN>')
export const MetricsLoopbackOnly = defineError('METRICS_LOOPBACK_ONLY', '/metrics answers the loopback address only; set METRICS_TOKEN to scrape it from elsewhere')
export const TooManySockets = defineError('TOO_MANY_SOCKETS', 'at most %s chat sockets per user are open at once; close one first')
export const NoAllowedOrigins = defineError('ORIGIN_NOT_ALLOWED', "origin '%s' may not call this API from a browser: ALLOWED_ORIGINS is unset; start the server with ALLOWED_ORIGINS=%s")
export const ServiceUnavailable = defineError('SERVICE_UNAVAILABLE', '%s')
export const RequestTimeout = defineError('REQUEST_TIMEOUT', '%s')
export const StorageUnavailable = defineError('STORAGE_UNAVAILABLE', 'the picture could not be stored right now; try again later')
export const InvalidReadMarker = defineError('INVALID_READ_MARKER', 'message %s is not in your conversation with user %s')
export const ConversationNotFound = defineError('CONVERSATION_NOT_FOUND', 'you have no conversation with user %s')
export const NotMutualFollowers = defineError('NOT_MUTUAL_FOLLOWERS', 'you and user %s do not follow each other')
