import { ServiceUnavailable } from '../../errors.js'

export interface QueueBounds {
  /** Re-encodes running at once, for all users together. */
  slots: number
  /** Uploads waiting for a slot, for all users together; one more is answered 503. */
  waiting: number
  /** Uploads of one user waiting behind that user's running one. */
  waitingPerUser: number
}

/** A hint for Retry-After: about how long the uploads ahead take, at a second each. */
const retryAfterSeconds = (ahead: number, slots: number) => Math.max(1, Math.ceil(ahead / slots))

/**
 * Shares the re-encoder between users: each user has one re-encode running at most, and a free
 * slot goes to the user who has waited longest, so one user's uploads never queue another's
 * behind them. One queue for all let two costly uploads hold every other user's picture for
 * 14 to 18 s. When too many are waiting the upload is refused at once (503 with Retry-After)
 * rather than held for an unbounded time.
 */
export function createReencodeQueue({ slots, waiting, waitingPerUser }: QueueBounds) {
  const lanes = new Map<number, Array<() => void>>()
  const turns: number[] = []
  const running = new Set<number>()
  let waitingCount = 0

  function startNext() {
    while (running.size < slots && turns.length > 0) {
      const user = turns.shift()!
      const lane = lanes.get(user)!
      const start = lane.shift()!
      if (lane.length === 0) lanes.delete(user)
      waitingCount--
      running.add(user)
      start()
    }
  }

  function finish(user: number) {
    running.delete(user)
    if (lanes.has(user)) turns.push(user)
    startNext()
  }

  return async function inTurn<T>(user: number, job: () => Promise<T>): Promise<T> {
    const lane = lanes.get(user)
    if (waitingCount >= waiting || (lane?.length ?? 0) >= waitingPerUser) {
      throw Object.assign(new ServiceUnavailable(`too many pictures are being processed; retry in ${retryAfterSeconds(waitingCount, slots)} seconds`),
        { retryAfterSeconds: retryAfterSeconds(waitingCount, slots) })
    }
    if (running.size < slots && !running.has(user) && turns.length === 0) {
      running.add(user)
    } else {
      await new Promise<void>((resolve) => {
        if (lane) lane.push(resolve)
        else {
          lanes.set(user, [resolve])
          if (!running.has(user)) turns.push(user)
        }
        waitingCount++
      })
    }
    try {
      return await job()
    } finally {
      finish(user)
    }
  }
}
