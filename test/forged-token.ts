import { createHmac } from 'node:crypto'
import { TEST_SECRET } from './helper.js'

const hashOf: Record<string, string> = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' }
/** One part of a token, as it is written between the dots. */
export const encodePart = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url')

/**
 * A JWT with the claims given, signed as the test apps sign them unless told otherwise: an HMAC
 * of the header's algorithm (HS256 for any other `alg`, so a header can lie about it) with
 * `secret`.
 */
export function signedToken(claims: object, { alg = 'HS256', secret = TEST_SECRET }: { alg?: string, secret?: string } = {}) {
  const unsigned = `${encodePart({ alg, typ: 'JWT' })}.${encodePart(claims)}`
  return `${unsigned}.${createHmac(hashOf[alg] ?? 'sha256', secret).update(unsigned).digest('base64url')}`
}

/** The session a token names (its sid claim): a forged token stands in that real session. */
export const sessionIdOf = (token: string): string => JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()).sid
