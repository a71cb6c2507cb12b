interface Bucket {
  tokens: number
  updatedAt: number
}

/**
 * A token bucket per user: `max` messages per window on average, bursts of twice that. One
 * bucket for all of a user's sockets, so opening more devices does not raise the limit.
 */
export function createSendLimit({ max, windowMs }: { max: number, windowMs: number }, now = () => performance.now()) {
  const capacity = 2 * max
  const perMs = max / windowMs
  const buckets = new Map<number, Bucket>()

  const refill = (bucket: Bucket, at: number) => {
    bucket.tokens = Math.min(capacity, bucket.tokens + (at - bucket.updatedAt) * perMs)
    bucket.updatedAt = at
  }

  return {
    /** Takes a token; false when the user is over the limit. */
    take(userId: number): boolean {
      const at = now()
      let bucket = buckets.get(userId)
      if (!bucket) {
        bucket = { tokens: capacity, updatedAt: at }
        buckets.set(userId, bucket)
      }
      refill(bucket, at)
      if (bucket.tokens < 1) return false
      bucket.tokens--
      return true
    },

    /** Forgets full buckets: a user who is back to a full burst needs no memory. */
    sweep() {
      const at = now()
      for (const [userId, bucket] of buckets) {
        refill(bucket, at)
        if (bucket.tokens >= capacity) buckets.delete(userId)
      }
    },
  }
}
export type SendLimit = ReturnType<typeof createSendLimit>
