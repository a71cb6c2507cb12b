import { defineEvent } from '../../plugins/event-bus.js'
import type { Message } from './schemas.js'

/** A message was stored, acknowledged and delivered to the sockets of the process that stored it. */
export const messageStored = defineEvent<{ message: Message }>('message')
