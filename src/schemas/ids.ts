import { Type } from '@sinclair/typebox'

export const UserId = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'A user id', examples: [42] })

export const UserIdParams = Type.Object({ id: UserId })
