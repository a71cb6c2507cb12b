import { and, asc, desc, eq, gt, lt, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import type { Db } from '../../db/client.js'
import { conversations, follows, messages, users } from '../../db/schema.js'
import { createUserExists } from '../users/table.js'

export type MessageRow = typeof messages.$inferSelect
/** A message as a client asks for it to be sent: what is stored, before the database gives it an id and a time. */
export type Draft = Required<Pick<typeof messages.$inferInsert, 'senderId' | 'recipientId' | 'messageText' | 'clientMessageId'>>

/** A message's public columns, as the Message schema names them. */
export const messageColumns = {
  id: messages.id,
  senderId: messages.senderId,
  recipientId: messages.recipientId,
  messageText: messages.messageText,
  clientMessageId: messages.clientMessageId,
  createdAt: messages.createdAt,
}

/**
 * Taken by every message insert before its ids and held until it commits, so ids become visible
 * in the order they were taken, across processes too, and a sync that has seen id N can never
 * later find a committed message below N. Any fixed number works: every process takes the same one.
 */
const COMMIT_ORDER_LOCK = 7_306_128_412

export type PairStatus = 'mutual' | 'not-mutual' | 'no-recipient'

const asJson = (drafts: Draft[]) => JSON.stringify(drafts.map((draft) => ({
  sender_id: draft.senderId,
  recipient_id: draft.recipientId,
  message_text: draft.messageText,
  client_message_id: draft.clientMessageId,
})))

export function createChatRepository(db: Db) {
  // Asked when users' first sockets open (presence), which come in bursts: one prepared
  // statement for all the users of a burst instead of a query built, sent and planned per socket.
  const back = alias(follows, 'back')
  const mutualFollowersOfEach = db.select({ userId: follows.followeeId, id: follows.followerId }).from(follows)
    .innerJoin(back, and(eq(back.followerId, follows.followeeId), eq(back.followeeId, follows.followerId)))
    .where(sql`${follows.followeeId} = any(${sql.placeholder('userIds')}::bigint[])`)
    .prepare('mutual_followers_of_each')
  return {
    /**
     * One statement for the whole batch, whatever its size: the rows travel as one JSON
     * parameter, so the statement text (and its prepared plan) never changes. Rows are inserted
     * in the order given, so ids follow it. Drafts whose (sender, clientMessageId) is already
     * stored are skipped; only the inserted rows come back, in id order. The commit-order lock
     * is taken in a materialized CTE, which the join reads before the first row reaches its id.
     * The same statement keeps both people's inbox rows.
     */
    async insert(drafts: Draft[]): Promise<MessageRow[]> {
      const inserted = db.$with('inserted', messageColumns).as(sql`insert into ${messages} (sender_id, recipient_id, message_text, client_message_id)
        with commit_order as materialized (select pg_advisory_xact_lock(${COMMIT_ORDER_LOCK}))
        select (draft->>'sender_id')::bigint, (draft->>'recipient_id')::bigint, draft->>'message_text', draft->>'client_message_id'
        from commit_order, json_array_elements(${asJson(drafts)}::json) with ordinality as batch(draft, position)
        order by batch.position
        on conflict do nothing
        returning *`)
      // The inbox is kept by the same statement, so in the same transaction: one row per person
      // and peer of the batch, however many messages it holds.
      const inbox = db.$with('inbox', { ownerId: conversations.ownerId }).as(sql`insert into ${conversations} (owner_id, peer_id, last_message_id, unread_count)
        select side.owner_id, side.peer_id, max(inserted.id), count(*) filter (where inserted.recipient_id = side.owner_id)
        from inserted cross join lateral (values (inserted.sender_id, inserted.recipient_id), (inserted.recipient_id, inserted.sender_id)) as side(owner_id, peer_id)
        group by side.owner_id, side.peer_id
        on conflict (owner_id, peer_id) do update set
          last_message_id = greatest(${conversations.lastMessageId}, excluded.last_message_id),
          unread_count = ${conversations.unreadCount} + excluded.unread_count
        returning owner_id`)
      const rows = await db.with(inserted, inbox).select().from(inserted)
      return rows.sort((a, b) => a.id - b.id)
    },

    async findByClientMessageIds(keys: Array<{ senderId: number, clientMessageId: string }>): Promise<MessageRow[]> {
      const json = JSON.stringify(keys.map((key) => ({ sender_id: key.senderId, client_message_id: key.clientMessageId })))
      return db.select(messageColumns).from(messages).where(sql`(${messages.senderId}, ${messages.clientMessageId}) in (
        select key.sender_id, key.client_message_id from json_to_recordset(${json}::json) as key(sender_id bigint, client_message_id text))`)
    },

    async pairStatus(senderId: number, recipientId: number): Promise<PairStatus> {
      const [row] = await db.select({
        recipientExists: sql<boolean>`exists (select 1 from ${users} where ${users.id} = ${recipientId})`,
        follows: sql<number>`(select count(*) from ${follows} where (${follows.followerId} = ${senderId} and ${follows.followeeId} = ${recipientId})
          or (${follows.followerId} = ${recipientId} and ${follows.followeeId} = ${senderId}))`.mapWith(Number),
      }).from(sql`(select 1) as one`)
      if (!row?.recipientExists) return 'no-recipient'
      return row.follows === 2 ? 'mutual' : 'not-mutual'
    },

    userExists: createUserExists(db),

    /**
     * Each user's mutual followers: walks each one's followers (follows_followers_idx), keeping
     * those the user follows back (a primary-key probe each). Users with none are not in the map.
     */
    async mutualFollowersOfEach(userIds: readonly number[]): Promise<Map<number, number[]>> {
      const found = new Map<number, number[]>()
      for (const { userId, id } of await mutualFollowersOfEach.execute({ userIds: `{${userIds.join(',')}}` })) {
        const audience = found.get(userId)
        if (audience) audience.push(id)
        else found.set(userId, [id])
      }
      return found
    },

    /** Newest first, from before the message id `before`. */
    async conversation(userId: number, otherId: number, limit: number, before: number | undefined) {
      const [low, high] = userId < otherId ? [userId, otherId] : [otherId, userId]
      return db.select(messageColumns).from(messages)
        .where(and(
          // The same expressions as messages_conversation_idx, so the walk is one index range.
          sql`least(${messages.senderId}, ${messages.recipientId}) = ${low}`,
          sql`greatest(${messages.senderId}, ${messages.recipientId}) = ${high}`,
          before === undefined ? undefined : lt(messages.id, before),
        ))
        .orderBy(desc(messages.id))
        .limit(limit)
    },

    /** Oldest first, after the message id `after`: what the user sent and received, merged. */
    async sync(userId: number, after: number, limit: number) {
      // Two index range scans (sender, id) and (recipient, id), each bounded by the limit,
      // instead of one scan of every message the user ever had, filtered and sorted.
      const side = (column: typeof messages.senderId) => db.select(messageColumns).from(messages)
        .where(and(eq(column, userId), gt(messages.id, after)))
        .orderBy(asc(messages.id))
        .limit(limit)
      const rows = await side(messages.senderId).union(side(messages.recipientId))
      return rows.sort((a, b) => a.id - b.id).slice(0, limit)
    },
  }
}
export type ChatRepository = ReturnType<typeof createChatRepository>
