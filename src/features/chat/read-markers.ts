import { ConversationNotFound, InvalidReadMarker, UserNotFound } from '../../errors.js'
import type { EventBus } from '../../plugins/event-bus.js'
import { readMoved } from './events.js'
import type { ConversationRow, InboxRepository } from './inbox-repository.js'

/** Marking a conversation read, the same for PUT /conversations/{userId}/read and the `read` frame. */
export function createReadMarkers(repository: InboxRepository, bus: EventBus) {
  return {
    /** The conversation as it is after the marker moved (or stayed: a marker never moves back). */
    async mark(readerId: number, peerId: number, upTo: number): Promise<ConversationRow> {
      const outcome = await repository.markRead(readerId, peerId, upTo)
      if (outcome === 'no-user') throw new UserNotFound(peerId)
      if (outcome === 'no-conversation') throw new ConversationNotFound(peerId)
      if (outcome === 'not-in-conversation') throw new InvalidReadMarker(upTo, peerId)
      // Both people: the reader's other devices clear their badge, the peer sees a receipt.
      if (outcome.moved) void bus.publish(readMoved, { readerId, peerId, upTo }, { to: [readerId, peerId] })
      const row = await repository.one(readerId, peerId)
      // Erased between the two statements.
      if (!row) throw new ConversationNotFound(peerId)
      return row
    },
  }
}
export type ReadMarkers = ReturnType<typeof createReadMarkers>
