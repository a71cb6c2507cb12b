import { defineEvent } from '../../plugins/event-bus.js'

export interface SessionsEnd {
  userId: number
  sessionIds: string[]
}

/**
 * Sessions were ended (logout, ended from another device, password change, erasure); published
 * to every process once the rows are gone, before the request is answered: each forgets them
 * and closes their chat sockets.
 */
export const sessionsEnded = defineEvent<SessionsEnd>('sessions-ended')
