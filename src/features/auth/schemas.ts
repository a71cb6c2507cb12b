import { Type, type Static } from '@sinclair/typebox'
import { Username, UserSchema } from '../users/schemas.js'

export const Password = Type.String({ minLength: 8, maxLength: 128, description: '8 to 128 characters', examples: ['correct horse battery'] })

export const Credentials = Type.Object({
  username: Username,
  password: Password,
}, { additionalProperties: false })

const Token = Type.String({ description: 'JWT (HS256) to send as Authorization: Bearer <token>' })

export const Registered = Type.Object({
  user: Type.Ref(UserSchema),
  token: Token,
}, { additionalProperties: false })

export const LoggedIn = Type.Object({
  user: Type.Ref(UserSchema),
  token: Token,
  expiresIn: Type.Integer({ description: 'Seconds until the token expires', examples: [86400] }),
}, { additionalProperties: false })

// A pattern, not format uuid: ajv's uuid also takes a urn:uuid: prefix, which PostgreSQL's uuid does not.
const uuidPattern = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'
export const SessionId = Type.String({ pattern: uuidPattern, description: 'A session id', examples: ['0b7e6c4e-54a4-4c87-9b8f-2f3c1d2e4a5b'] })

export const SessionSchema = Type.Object({
  id: SessionId,
  createdAt: Type.String({ format: 'date-time', description: 'When the login (or registration) opened it' }),
  lastUsedAt: Type.String({ format: 'date-time', description: 'When a request last used it; may lag by up to a minute' }),
  userAgent: Type.Union([Type.String(), Type.Null()], { description: 'The User-Agent of the login, as the client sent it (cut to 256 characters)' }),
  current: Type.Boolean({ description: 'The session of the token this request carries' }),
}, { $id: 'Session', title: 'Session', additionalProperties: false })
export type Session = Static<typeof SessionSchema>

export const SessionParams = Type.Object({ id: SessionId })

/** Keyset position in the session list: createdAt in ms and the session id. */
export const SessionPosition = Type.Tuple([Type.Integer({ minimum: 0 }), Type.String({ pattern: uuidPattern })])
