import type { FastifyInstance, FastifyRequest } from 'fastify'
import { RateLimited, TooManySockets } from '../../errors.js'

export interface UpgradeLimits {
  /** Chat sockets one user may hold open on one process. */
  socketsPerUser: number
  /** Upgrades with no valid token, per client address; null: not limited. */
  failedUpgrades: { max: number, windowMs: number } | null
}

/**
 * Both are checked while the request is still HTTP, so a refusal is an ordinary 429 and no
 * socket is ever opened for it: 2,000 sockets of one user were accepted, and each message sent
 * to that user was written 2,000 times.
 */
export function createUpgradeLimits(app: FastifyInstance, socketsOf: (userId: number) => number, { socketsPerUser, failedUpgrades }: UpgradeLimits) {
  const failures = failedUpgrades && app.createRateLimit({
    max: failedUpgrades.max,
    timeWindow: failedUpgrades.windowMs,
    keyGenerator: (request) => `chat-upgrade:${request.ip}`,
  })

  /** Authenticates an upgrade; an address that keeps failing is refused before its token is read. */
  async function authenticateUpgrade(request: FastifyRequest) {
    if (failures) {
      const status = await failures(request, { increment: false })
      if (!status.isAllowed && status.remaining <= 0) {
        throw Object.assign(new RateLimited(status.ttlInSeconds), { retryAfterSeconds: status.ttlInSeconds })
      }
    }
    try {
      await app.authenticate(request)
    } catch (error) {
      await failures?.(request)
      throw error
    }
  }

  async function capSockets(request: FastifyRequest) {
    if (request.ws && socketsOf(request.userId) >= socketsPerUser) throw new TooManySockets(socketsPerUser)
  }

  return { authenticateUpgrade, capSockets }
}
