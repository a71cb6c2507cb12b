import { Type, type Static } from '@sinclair/typebox'
import { UserSchema, toUser, type PictureUrl } from '../users/schemas.js'
import type { ConversationRow } from './inbox-repository.js'
import { LastSeenAt, MessageSchema, toMessage } from './schemas.js'
import { UserId } from '../../schemas/ids.js'

const marker = (description: string) => Type.Union([Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }), Type.Null()], { description })

export const ConversationSchema = Type.Object({
  user: Type.Ref(UserSchema),
  lastMessage: Type.Ref(MessageSchema),
  unreadCount: Type.Integer({ minimum: 0, description: 'Messages from the other person with an id above readUpTo' }),
  readUpTo: marker('The newest message of this conversation the caller marked read; null: none'),
  peerReadUpTo: marker('The same for the other person: a read receipt'),
}, { $id: 'Conversation', title: 'Conversation', additionalProperties: false })
export type Conversation = Static<typeof ConversationSchema>

export const toConversation = (row: ConversationRow, pictureUrl: PictureUrl): Conversation => ({
  user: toUser(row.user, pictureUrl),
  lastMessage: toMessage(row.lastMessage),
  unreadCount: row.unreadCount,
  readUpTo: row.readUpTo,
  peerReadUpTo: row.peerReadUpTo,
})

export const UnreadSchema = Type.Object({
  conversations: Type.Integer({ minimum: 0, description: 'Conversations with unread messages' }),
  messages: Type.Integer({ minimum: 0, description: 'Unread messages in all' }),
}, { additionalProperties: false })

export const ReadBody = Type.Object({
  upTo: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'The id of the newest message read; a message of this conversation' }),
}, { additionalProperties: false })

export const PresenceSchema = Type.Object({
  userId: UserId,
  online: Type.Boolean({ description: 'At least one chat socket open on any server process' }),
  lastSeenAt: LastSeenAt,
}, { additionalProperties: false })
export type Presence = Static<typeof PresenceSchema>
