import { hash, verify } from '@node-rs/argon2'
import pLimit from 'p-limit'
import { backgroundCores } from '../../cpu.js'

// argon2id (the library's default algorithm) at OWASP's minimum: 19 MiB, 2 passes, 1 lane.
const argon2id = { memoryCost: 19_456, timeCost: 2, parallelism: 1 }

// Hashes run on libuv's threads, but a login storm on every core would starve the event loop
// of CPU: other requests wait (bench/login-storm.ts), logins queue instead.
const hashing = pLimit(backgroundCores)

export const hashPassword = (password: string) => hashing(() => hash(password, argon2id))

let standIn: Promise<string> | undefined

/**
 * An unknown user is checked against a stand-in hash, so the answer takes as long as a wrong
 * password and timing does not tell which usernames exist.
 */
export async function verifyPassword(passwordHash: string | undefined, password: string): Promise<boolean> {
  const matches = await hashing(async () => verify(passwordHash ?? await (standIn ??= hash('not-a-real-password', argon2id)), password))
  return passwordHash !== undefined && matches
}
