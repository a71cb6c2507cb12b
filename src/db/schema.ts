import { sql } from 'drizzle-orm'
import { bigint, check, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'

// Millisecond precision: a JavaScript Date holds the exact value, so keyset cursors round-trip.
const createdAt = () => timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow()
const id = (name: string) => bigint(name, { mode: 'number' })

export const users = pgTable('users', {
  id: id('id').primaryKey().generatedAlwaysAsIdentity(),
  username: text('username').notNull(),
  passwordHash: text('password_hash').notNull(),
  profilePicture: text('profile_picture'),
  createdAt: createdAt(),
}, (table) => [
  // "C" collation: prefix search (LIKE 'ab%') and the alphabetical directory both walk this index.
  uniqueIndex('users_username_key').on(sql`lower(${table.username}) collate "C"`),
])

export const follows = pgTable('follows', {
  followerId: id('follower_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  followeeId: id('followee_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  createdAt: createdAt(),
}, (table) => [
  primaryKey({ columns: [table.followerId, table.followeeId] }),
  // Ascending: scanned backwards they give ORDER BY ... DESC (whose NULLS FIRST a DESC NULLS LAST index would not match).
  index('follows_followers_idx').on(table.followeeId, table.createdAt, table.followerId),
  index('follows_following_idx').on(table.followerId, table.createdAt, table.followeeId),
  check('follows_not_self', sql`${table.followerId} <> ${table.followeeId}`),
])

export const messages = pgTable('messages', {
  id: id('id').primaryKey().generatedAlwaysAsIdentity(),
  senderId: id('sender_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  recipientId: id('recipient_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  messageText: text('message_text').notNull(),
  clientMessageId: text('client_message_id'),
  createdAt: createdAt(),
}, (table) => [
  uniqueIndex('messages_client_message_id_key').on(table.senderId, table.clientMessageId),
  index('messages_conversation_idx').on(
    sql`least(${table.senderId}, ${table.recipientId})`,
    sql`greatest(${table.senderId}, ${table.recipientId})`,
    table.id,
  ),
  index('messages_sender_idx').on(table.senderId, table.id),
  index('messages_recipient_idx').on(table.recipientId, table.id),
  check('messages_text_length', sql`char_length(${table.messageText}) between 1 and 4000`),
])

/**
 * The inbox: one row per person and peer, kept by the statement that stores a message batch
 * (never counted on reading). `unreadCount` counts the peer's messages above `readUpTo`.
 */
export const conversations = pgTable('conversations', {
  ownerId: id('owner_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  peerId: id('peer_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  lastMessageId: id('last_message_id').notNull(),
  unreadCount: integer('unread_count').notNull().default(0),
  readUpTo: id('read_up_to'),
}, (table) => [
  primaryKey({ columns: [table.ownerId, table.peerId] }),
  // A message belongs to one conversation, so (owner, last message) is unique: the inbox's keyset.
  uniqueIndex('conversations_inbox_idx').on(table.ownerId, table.lastMessageId),
  index('conversations_unread_idx').on(table.ownerId).where(sql`${table.unreadCount} > 0`),
  index('conversations_peer_idx').on(table.peerId),
  check('conversations_unread_count', sql`${table.unreadCount} >= 0`),
])

export const sessions = pgTable('sessions', {
  // Random, not a sequence: a session id names nothing a client could guess or count.
  id: uuid('id').primaryKey(),
  userId: id('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  createdAt: createdAt(),
  lastUsedAt: timestamp('last_used_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  userAgent: text('user_agent'),
}, (table) => [
  index('sessions_user_idx').on(table.userId, table.createdAt, table.id),
])

export const blocks = pgTable('blocks', {
  blockerId: id('blocker_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  blockedId: id('blocked_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  createdAt: createdAt(),
}, (table) => [
  primaryKey({ columns: [table.blockerId, table.blockedId] }),
  index('blocks_blocker_idx').on(table.blockerId, table.createdAt, table.blockedId),
  // "Is either of us blocked by the other" reads both directions; this one serves blocked_id first.
  index('blocks_blocked_idx').on(table.blockedId, table.blockerId),
  check('blocks_not_self', sql`${table.blockerId} <> ${table.blockedId}`),
])
