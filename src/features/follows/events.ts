import { defineEvent } from '../../plugins/event-bus.js'

export interface FollowChange {
  followerId: number
  followeeId: number
}

/** A follow was created or removed; published before the follow request is answered. */
export const followChanged = defineEvent<FollowChange>('follow')
