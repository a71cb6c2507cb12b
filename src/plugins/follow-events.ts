import { EventEmitter } from 'node:events'
import fp from 'fastify-plugin'

/** Told whenever a follow is created or removed, so caches of the follow graph stay true. */
export class FollowEvents extends EventEmitter<{ change: [followerId: number, followeeId: number] }> {
  changed(followerId: number, followeeId: number) {
    this.emit('change', followerId, followeeId)
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    followEvents: FollowEvents
  }
}

export default fp(async function followEvents(app) {
  app.decorate('followEvents', new FollowEvents())
}, { name: 'follow-events' })
