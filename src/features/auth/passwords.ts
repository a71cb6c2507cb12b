import { hash, verify } from '@node-rs/argon2'

// argon2id (the library's default algorithm) at OWASP's minimum: 19 MiB, 2 passes, 1 lane.
const argon2id = { memoryCost: 19_456, timeCost: 2, parallelism: 1 }

export const hashPassword = (password: string) => hash(password, argon2id)

let standIn: Promise<string> | undefined

/**
 * An unknown user is checked against a stand-in hash, so the answer takes as long as a wrong
 * password and timing does not tell which usernames exist.
 */
export async function verifyPassword(passwordHash: string | undefined, password: string): Promise<boolean> {
  const matches = await verify(passwordHash ?? await (standIn ??= hashPassword('not-a-real-password')), password)
  return passwordHash !== undefined && matches
}
