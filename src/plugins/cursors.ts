import { createHmac, timingSafeEqual } from 'node:crypto'
import type { Static, TSchema } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import fp from 'fastify-plugin'
import { InvalidCursor } from '../errors.js'

export interface Cursors {
  encode(scope: string, position: unknown): string
  /** Throws INVALID_CURSOR for anything this server did not hand out for this scope. */
  decode<T extends TSchema>(scope: string, cursor: string, schema: T): Static<T>
}

declare module 'fastify' {
  interface FastifyInstance {
    cursors: Cursors
  }
}

/**
 * Cursors are signed, and the signature covers the list they belong to, so a client cannot
 * forge a position or carry a cursor from one list to another.
 */
export function createCursors(secret: string): Cursors {
  const key = createHmac('sha256', secret).update('pagination-cursor').digest()
  const sign = (scope: string, payload: string) =>
    createHmac('sha256', key).update(scope).update('\n').update(payload).digest().subarray(0, 16)

  return {
    encode(scope, position) {
      const payload = Buffer.from(JSON.stringify(position)).toString('base64url')
      return `${payload}.${sign(scope, payload).toString('base64url')}`
    },
    decode(scope, cursor, schema) {
      const [payload, signature, extra] = cursor.split('.')
      if (!payload || !signature || extra !== undefined) throw new InvalidCursor()
      // Compared as text: decoding ignores the unused low bits of the last base64 character, so
      // several spellings of one signature decoded alike and each was accepted.
      const given = Buffer.from(signature)
      const expected = Buffer.from(sign(scope, payload).toString('base64url'))
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new InvalidCursor()
      let position: unknown
      try {
        position = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))
      } catch {
        throw new InvalidCursor()
      }
      if (!Value.Check(schema, position)) throw new InvalidCursor()
      return position
    },
  }
}

export default fp<{ secret: string }>(async function cursors(app, { secret }) {
  app.decorate('cursors', createCursors(secret))
}, { name: 'cursors' })
