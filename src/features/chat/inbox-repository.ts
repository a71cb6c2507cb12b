import { and, desc, eq, isNull, lt, or, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import type { Db } from '../../db/client.js'
import { conversations, messages, users } from '../../db/schema.js'
import { userColumns } from '../users/table.js'
import { messageColumns } from './repository.js'

const peerSide = alias(conversations, 'peer_side')

const conversationColumns = {
  user: userColumns,
  lastMessage: messageColumns,
  unreadCount: conversations.unreadCount,
  readUpTo: conversations.readUpTo,
  peerReadUpTo: peerSide.readUpTo,
}

/** Both ids of a conversation in the order messages_conversation_idx keys them. */
const pairOf = (a: number, b: number) => (a < b ? [a, b] as const : [b, a] as const)

export type MarkOutcome = 'no-user' | 'no-conversation' | 'not-in-conversation' | { moved: boolean }

export function createInboxRepository(db: Db) {
  // Every row holds its user and its last message; the peer's row holds the receipt.
  const select = () => db.select(conversationColumns).from(conversations)
    .innerJoin(users, eq(users.id, conversations.peerId))
    .innerJoin(messages, eq(messages.id, conversations.lastMessageId))
    .leftJoin(peerSide, and(eq(peerSide.ownerId, conversations.peerId), eq(peerSide.peerId, conversations.ownerId)))
    .$dynamic()

  return {
    /** Newest message first, from before the conversation whose last message is `before`: one range of conversations_inbox_idx. */
    async page(ownerId: number, limit: number, before: number | undefined) {
      return select()
        .where(and(eq(conversations.ownerId, ownerId), before === undefined ? undefined : lt(conversations.lastMessageId, before)))
        .orderBy(desc(conversations.lastMessageId))
        .limit(limit)
    },

    async one(ownerId: number, peerId: number) {
      const [row] = await select().where(and(eq(conversations.ownerId, ownerId), eq(conversations.peerId, peerId)))
      return row
    },

    /** Only the conversations with unread messages are read (a partial index holds just those). */
    async unread(ownerId: number) {
      const [row] = await db.select({
        conversations: sql<number>`count(*)`.mapWith(Number),
        messages: sql<number>`coalesce(sum(${conversations.unreadCount}), 0)`.mapWith(Number),
      }).from(conversations).where(and(eq(conversations.ownerId, ownerId), sql`${conversations.unreadCount} > 0`))
      return row ?? { conversations: 0, messages: 0 }
    },

    /**
     * Moves the owner's marker forward to `upTo`, never back. The guard and the new count are
     * evaluated on the row as it is when the update gets its lock, so two markers set at once
     * both apply in order and the later one only subtracts what lies between them; messages
     * stored meanwhile have higher ids than any marker (ids commit in order), so their
     * increments are never subtracted.
     */
    async markRead(ownerId: number, peerId: number, upTo: number): Promise<MarkOutcome> {
      const [check] = await db.select({
        peerExists: sql<boolean>`exists (select 1 from ${users} where ${users.id} = ${peerId})`,
        conversation: sql<boolean>`exists (select 1 from ${conversations} where ${conversations.ownerId} = ${ownerId} and ${conversations.peerId} = ${peerId})`,
        belongs: sql<boolean>`exists (select 1 from ${messages} where ${messages.id} = ${upTo}
          and ((${messages.senderId} = ${ownerId} and ${messages.recipientId} = ${peerId}) or (${messages.senderId} = ${peerId} and ${messages.recipientId} = ${ownerId})))`,
      }).from(sql`(select 1) as one`)
      if (!check?.peerExists) return 'no-user'
      if (!check.conversation) return 'no-conversation'
      if (!check.belongs) return 'not-in-conversation'
      const [low, high] = pairOf(ownerId, peerId)
      const moved = await db.update(conversations).set({
        readUpTo: upTo,
        unreadCount: sql`greatest(0, ${conversations.unreadCount} - (select count(*) from ${messages}
          where least(${messages.senderId}, ${messages.recipientId}) = ${low} and greatest(${messages.senderId}, ${messages.recipientId}) = ${high}
          and ${messages.id} > coalesce(${conversations.readUpTo}, 0) and ${messages.id} <= ${upTo} and ${messages.senderId} = ${peerId}))`,
      }).where(and(
        eq(conversations.ownerId, ownerId),
        eq(conversations.peerId, peerId),
        or(isNull(conversations.readUpTo), lt(conversations.readUpTo, upTo)),
      )).returning({ readUpTo: conversations.readUpTo })
      return { moved: moved.length > 0 }
    },
  }
}
export type InboxRepository = ReturnType<typeof createInboxRepository>
export type ConversationRow = NonNullable<Awaited<ReturnType<InboxRepository['one']>>>
