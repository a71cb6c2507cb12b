import { Type, type Static } from '@sinclair/typebox'
import { UserId } from '../../schemas/ids.js'
import type { UserRow } from './table.js'

export const Username = Type.String({
  minLength: 3, maxLength: 30, pattern: '^[A-Za-z0-9_.]+$',
  description: '3 to 30 letters, digits, _ or .; unique ignoring case', examples: ['alice'],
})

export const UserSchema = Type.Object({
  id: UserId,
  username: Username,
  profilePictureUrl: Type.Union([Type.String({ examples: ['/images/3f2c9a.webp'] }), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
}, { $id: 'User', title: 'User', additionalProperties: false })
export type User = Static<typeof UserSchema>

export const ProfileSchema = Type.Composite([UserSchema, Type.Object({
  followersCount: Type.Integer({ minimum: 0 }),
  followingCount: Type.Integer({ minimum: 0 }),
})], { $id: 'Profile', title: 'Profile', additionalProperties: false })
export type Profile = Static<typeof ProfileSchema>

/** Where a stored picture is fetched from: /images/<name>, or a CDN's URL for it (app.pictureUrl). */
export type PictureUrl = (name: string) => string

export function toUser(row: UserRow, pictureUrl: PictureUrl): User {
  return {
    id: row.id,
    username: row.username,
    profilePictureUrl: row.profilePicture === null ? null : pictureUrl(row.profilePicture),
    createdAt: row.createdAt.toISOString(),
  }
}
