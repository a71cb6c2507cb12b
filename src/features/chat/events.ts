import { defineEvent } from '../../plugins/event-bus.js'
import type { Message } from './schemas.js'

/** A message was stored, acknowledged and delivered to the sockets of the process that stored it. */
export const messageStored = defineEvent<{ message: Message }>('message')

/** A read marker moved forward: for both people of the conversation. */
export const readMoved = defineEvent<{ readerId: number, peerId: number, upTo: number }>('read')

/** "I am typing", passed on (throttled) to the recipient; never stored. */
export const typingStarted = defineEvent<{ userId: number, recipientId: number }>('typing')

/** A user came online (first socket anywhere) or went offline (last socket anywhere, after the grace); for their mutual followers. */
export const presenceChanged = defineEvent<{ userId: number, online: boolean, lastSeenAt: string | null }>('presence')
