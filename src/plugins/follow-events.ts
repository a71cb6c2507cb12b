import { EventEmitter } from 'node:events'
import fp from 'fastify-plugin'

/**
 * Told whenever a follow is created or removed, so caches of the follow graph stay true; with
 * several processes, also of the changes made by the others (through the fan-out).
 */
export class FollowEvents extends EventEmitter<{ change: [followerId: number, followeeId: number], reset: [] }> {
  /**
   * False while changes made by other processes might not reach this one (Redis is away):
   * caches must not keep what they read meanwhile.
   */
  complete = true
  /** Tells the other processes of a change made here; set by the fan-out when there are others. */
  relay: ((followerId: number, followeeId: number) => Promise<void>) | undefined

  /** A change made by this process; resolves once the other processes were told (or could not be). */
  async changed(followerId: number, followeeId: number) {
    this.emit('change', followerId, followeeId)
    await this.relay?.(followerId, followeeId)
  }

  /** A change made by another process. */
  changedElsewhere(followerId: number, followeeId: number) {
    this.emit('change', followerId, followeeId)
  }

  /** Changes may have been missed: every cache forgets what it holds. */
  reset(complete: boolean) {
    this.complete = complete
    this.emit('reset')
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
