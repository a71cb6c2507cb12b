import { hash, verify } from '@node-rs/argon2'
import pLimit from 'p-limit'
import { backgroundCores } from '../../cpu.js'
import { ServiceUnavailable } from '../../errors.js'

// argon2id (the library's default algorithm) at OWASP's minimum: 19 MiB, 2 passes, 1 lane.
const argon2id = { memoryCost: 19_456, timeCost: 2, parallelism: 1 }

// Hashes run on libuv's threads, but a login storm on every core would starve the event loop
// of CPU: other requests wait (bench/login-storm.ts), logins queue instead.
const hashing = pLimit(backgroundCores)

// How long one hash takes here, a moving mean from a prior of argon2id's usual cost on one core.
let hashMs = 50
async function timed<Result>(job: () => Promise<Result>): Promise<Result> {
  const started = performance.now()
  try {
    return await job()
  } finally {
    hashMs = 0.9 * hashMs + 0.1 * (performance.now() - started)
  }
}

/**
 * Refuses at once (503 SERVICE_UNAVAILABLE with Retry-After) a request whose hash would start
 * only after the ones queued ahead of it, more than maxWaitMs from now: under a login storm a
 * queue that only grows answers everyone late, and a client retries a 503 sooner than it gives
 * up on a timeout. Called before anything is counted against the client; 0 never refuses.
 */
export function admitHashing(maxWaitMs: number) {
  if (maxWaitMs <= 0) return
  const waitMs = Math.floor((hashing.activeCount + hashing.pendingCount) / backgroundCores) * hashMs
  if (waitMs <= maxWaitMs) return
  const seconds = Math.max(1, Math.ceil(waitMs / 1000))
  throw Object.assign(new ServiceUnavailable(`too many logins are being checked; retry in ${seconds} seconds`), { retryAfterSeconds: seconds })
}

export const hashPassword = (password: string) => hashing(() => timed(() => hash(password, argon2id)))

let standIn: Promise<string> | undefined

/**
 * An unknown user is checked against a stand-in hash, so the answer takes as long as a wrong
 * password and timing does not tell which usernames exist.
 */
export async function verifyPassword(passwordHash: string | undefined, password: string): Promise<boolean> {
  const matches = await hashing(() => timed(async () => verify(passwordHash ?? await (standIn ??= hash('not-a-real-password', argon2id)), password)))
  return passwordHash !== undefined && matches
}
