import { Type } from '@sinclair/typebox'
import { Username, UserSchema } from '../users/schemas.js'

export const Credentials = Type.Object({
  username: Username,
  password: Type.String({ minLength: 8, maxLength: 128, description: '8 to 128 characters', examples: ['correct horse battery'] }),
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
