import { Type, type Static } from '@sinclair/typebox'
import { SeedUserId, UserId } from '../../schemas/ids.js'
import { Page, PageQuery } from '../../schemas/pagination.js'
import { UserSchema } from '../users/schemas.js'

export const RelationshipSchema = Type.Object({
  userId: UserId,
  following: Type.Boolean({ description: 'The caller follows this user' }),
  followedBy: Type.Boolean({ description: 'This user follows the caller' }),
  mutual: Type.Boolean({ description: 'Both follow each other: they may chat' }),
  blocking: Type.Boolean({ description: 'The caller blocks this user' }),
  blockedBy: Type.Boolean({ description: 'This user blocks the caller' }),
}, { $id: 'Relationship', title: 'Relationship', description: 'How the caller and a user are connected, seen from the caller', additionalProperties: false })
export type Relationship = Static<typeof RelationshipSchema>

export const FollowEntrySchema = Type.Composite([UserSchema, Type.Object({
  followedAt: Type.String({ format: 'date-time', description: 'When this follow began' }),
})], { $id: 'FollowEntry', title: 'FollowEntry', additionalProperties: false })

export const LegacyFollowBody = Type.Object({ userId: SeedUserId }, { additionalProperties: false })

export const LegacyListQuery = Type.Composite([PageQuery, Type.Object({
  userId: Type.Optional(UserId),
})], { additionalProperties: false })

/** Keyset position in a follow list: the follow's time in ms and the other user's id. */
export const FollowPosition = Type.Tuple([Type.Integer({ minimum: 0 }), Type.Integer({ minimum: 1 })])

export const followListSchema = (description: string) => Page(Type.Ref(FollowEntrySchema), description)
