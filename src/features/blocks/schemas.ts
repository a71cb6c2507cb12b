import { Type } from '@sinclair/typebox'
import { Page } from '../../schemas/pagination.js'
import { UserSchema } from '../users/schemas.js'

export const BlockEntrySchema = Type.Composite([UserSchema, Type.Object({
  blockedAt: Type.String({ format: 'date-time', description: 'When the caller blocked this user' }),
})], { $id: 'BlockEntry', title: 'BlockEntry', additionalProperties: false })

export const blockListSchema = Page(Type.Ref(BlockEntrySchema), 'A page of the users the caller blocks, with blockedAt')

/** Keyset position in the block list: the block's time in ms and the blocked user's id. */
export const BlockPosition = Type.Tuple([Type.Integer({ minimum: 0 }), Type.Integer({ minimum: 1 })])
