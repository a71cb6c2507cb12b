import { sql } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { blocks } from '../../db/schema.js'

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0]

/**
 * Serializes what two people do to each other (a follow, a block) until the transaction ends,
 * in whichever order they name each other. A statement that follows it sees every change the
 * other side committed, which a check inside the same statement would not (its snapshot is older).
 */
export async function lockPair(tx: Tx, a: number, b: number) {
  const [low, high] = a < b ? [a, b] : [b, a]
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`pair:${low}:${high}`}, 0))`)
}

/** True when either of the two blocks the other. */
export const eitherBlocks = (a: number, b: number) => sql`exists(select 1 from ${blocks}
  where (${blocks.blockerId} = ${a} and ${blocks.blockedId} = ${b}) or (${blocks.blockerId} = ${b} and ${blocks.blockedId} = ${a}))`
