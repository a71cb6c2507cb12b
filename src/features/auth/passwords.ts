import { hash, verify } from '@node-rs/argon2'
import { backgroundCores } from '../../cpu.js'
import { ServiceUnavailable } from '../../errors.js'
import { createHashQueue } from './hash-queue.js'

// argon2id (the library's default algorithm) at OWASP's minimum: 19 MiB, 2 passes, 1 lane.
const argon2id = { memoryCost: 19_456, timeCost: 2, parallelism: 1 }

// Hashes run on libuv's threads, but a login storm on every core would starve the event loop
// of CPU: other requests wait (bench/login-storm.ts), logins queue instead. The prior is
// argon2id's usual cost on one core, until the queue has timed hashes of its own.
const hashing = createHashQueue(backgroundCores, 50)

/**
 * Refuses at once (503 SERVICE_UNAVAILABLE with Retry-After) a request whose hash is expected
 * to wait more than maxWaitMs behind the ones queued: a client retries a 503 sooner than it
 * gives up on a timeout, and the refusal costs neither a database lookup nor a counted attempt.
 * Only an estimate; the bound itself is kept by the deadline hashPassword and verifyPassword
 * put on the hash. 0 never refuses.
 */
export function admitHashing(maxWaitMs: number) {
  if (maxWaitMs <= 0) return
  const waitMs = hashing.expectedWaitMs()
  if (waitMs <= maxWaitMs) return
  const seconds = Math.max(1, Math.ceil(waitMs / 1000))
  throw Object.assign(new ServiceUnavailable(`too many passwords are being checked; retry in ${seconds} seconds`), { retryAfterSeconds: seconds })
}

/**
 * What is left of a request's bound (SHED_WAIT) for its hash to start, counted from the request's
 * arrival (reply.elapsedTime): the time it spent reading a row first is waiting too. At least
 * 1 ms, so a hash that finds a free slot still starts; 0 (no bound) stays 0.
 */
export const hashWaitLeft = (boundMs: number, elapsedMs: number) => (boundMs <= 0 ? 0 : Math.max(1, boundMs - elapsedMs))

/** A hash that has not started within maxWaitMs (0: no bound) is refused with 503, and never computed. */
export const hashPassword = (password: string, maxWaitMs: number) => hashing.run(() => hash(password, argon2id), maxWaitMs)

let standIn: Promise<string> | undefined

/**
 * An unknown user is checked against a stand-in hash, so the answer takes as long as a wrong
 * password and timing does not tell which usernames exist. Bounded like hashPassword.
 */
export async function verifyPassword(passwordHash: string | undefined, password: string, maxWaitMs: number): Promise<boolean> {
  const matches = await hashing.run(async () => verify(passwordHash ?? await (standIn ??= hash('not-a-real-password', argon2id)), password), maxWaitMs)
  return passwordHash !== undefined && matches
}

/** For tests and the benchmark: hashes running and waiting in this process. */
export const hashingLoad = () => ({ active: hashing.active, waiting: hashing.waiting })
