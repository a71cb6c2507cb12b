import { Type, type Static } from '@sinclair/typebox'
import { TypeCompiler } from '@sinclair/typebox/compiler'
import { ErrorSchema, type ErrorBody } from '../../schemas/error.js'
import { SeedUserId, UserId } from '../../schemas/ids.js'
import { PageQuery } from '../../schemas/pagination.js'
import type { MessageRow } from './repository.js'

/** Characters (Unicode code points, as PostgreSQL's char_length counts them). */
export const MAX_MESSAGE_LENGTH = 4000

export const MessageId = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'A message id; ids grow with time', examples: [1234] })

const ClientMessageId = Type.String({
  minLength: 1, maxLength: 128,
  description: "The client's own id for a message; a resend with the same id is acknowledged, never stored twice",
  examples: ['c-123'],
})

export const MessageSchema = Type.Object({
  id: MessageId,
  senderId: UserId,
  recipientId: UserId,
  messageText: Type.String({ minLength: 1, maxLength: MAX_MESSAGE_LENGTH, examples: ['Hello'] }),
  clientMessageId: Type.Union([ClientMessageId, Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
}, { $id: 'Message', title: 'Message', additionalProperties: false })
export type Message = Static<typeof MessageSchema>

export const toMessage = (row: MessageRow): Message => ({
  id: row.id,
  senderId: row.senderId,
  recipientId: row.recipientId,
  messageText: row.messageText,
  clientMessageId: row.clientMessageId,
  createdAt: row.createdAt.toISOString(),
})

/**
 * What a client sends. The old service's clients send `{ senderId, recipientId, messageText }`,
 * so `type` is optional and ids may be decimal strings; unknown fields are ignored. Texts over the limit are told apart
 * (MESSAGE_TOO_LONG), so the length is checked after this schema, in code points.
 */
export const InboundFrame = Type.Object({
  type: Type.Optional(Type.Literal('message')),
  recipientId: SeedUserId,
  messageText: Type.String({ minLength: 1 }),
  senderId: Type.Optional(SeedUserId),
  clientMessageId: Type.Optional(ClientMessageId),
})
export type InboundFrame = Static<typeof InboundFrame>
export const inboundFrame = TypeCompiler.Compile(InboundFrame)

/** Marks the conversation with `userId` read up to and including message `upTo`, like PUT /conversations/{userId}/read. */
export const ReadRequestFrame = Type.Object({
  type: Type.Literal('read'),
  userId: UserId,
  upTo: MessageId,
}, { title: 'ReadRequest' })
export const readRequestFrame = TypeCompiler.Compile(ReadRequestFrame)

/** "I am typing" to a mutual follower; at most one per sender and recipient every 2 seconds is passed on, the rest are dropped silently. */
export const TypingRequestFrame = Type.Object({
  type: Type.Literal('typing'),
  recipientId: UserId,
}, { title: 'TypingRequest' })
export const typingRequestFrame = TypeCompiler.Compile(TypingRequestFrame)

export const ChatErrorCode = Type.Union([
  'NOT_MUTUAL_FOLLOWERS', 'USER_NOT_FOUND', 'INVALID_MESSAGE', 'SENDER_MISMATCH', 'MESSAGE_TOO_LONG', 'RATE_LIMITED',
  'INVALID_READ_MARKER', 'CONVERSATION_NOT_FOUND',
].map((code) => Type.Literal(code)))
export type ChatErrorCode = Static<typeof ChatErrorCode>

export const MessageFrame = Type.Composite([Type.Object({ type: Type.Literal('message') }), MessageSchema], { additionalProperties: false })
export const AckFrame = Type.Composite([Type.Object({ type: Type.Literal('ack') }), MessageSchema], { additionalProperties: false })
export const ErrorFrame = Type.Object({
  type: Type.Literal('error'),
  code: ChatErrorCode,
  message: Type.String(),
  clientMessageId: Type.Optional(ClientMessageId),
}, { additionalProperties: false })
export type ErrorFrame = Static<typeof ErrorFrame>

export const ReadFrame = Type.Object({
  type: Type.Literal('read'),
  readerId: UserId,
  peerId: UserId,
  upTo: MessageId,
}, { additionalProperties: false, description: 'A read marker moved forward: the reader read the conversation with the peer up to and including message upTo' })
export type ReadFrame = Static<typeof ReadFrame>

export const TypingFrame = Type.Object({
  type: Type.Literal('typing'),
  userId: UserId,
}, { additionalProperties: false, description: 'The user is typing to you; show it for 5 seconds after the last one' })

export const LastSeenAt = Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'When the last socket closed; null while online or never seen' })

export const PresenceFrame = Type.Object({
  type: Type.Literal('presence'),
  userId: UserId,
  online: Type.Boolean(),
  lastSeenAt: LastSeenAt,
}, { additionalProperties: false, description: 'A mutual follower came online (first socket anywhere) or went offline (last socket closed, after a grace of a few seconds)' })

export const ConversationParams = Type.Object({ userId: UserId })

export const SyncQuery = Type.Composite([PageQuery, Type.Object({
  after: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, default: 0, description: 'Only messages with a greater id' }),
})], { additionalProperties: false })

export const upgradeRequired = Type.Unsafe<ErrorBody>({
  ...Type.Ref(ErrorSchema),
  description: 'A plain HTTP request; this endpoint only speaks WebSocket (UPGRADE_REQUIRED)',
})
