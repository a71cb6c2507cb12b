/**
 * GET /conversations: page 1 vs a page 10,000 conversations deep, for a user with 20,000
 * conversations. The inbox is a keyset walk of (owner, last message): the ratio is the claim.
 *   npx tsx bench/inbox-depth.ts   (DATABASE_URL: the server to create a scratch database on)
 */
import postgres from 'postgres'
import { api, freshDatabase, load, ratio, startService } from './lib.js'

const PEERS = Number(process.env.PEERS ?? 20_000)
const DEPTH = Number(process.env.DEPTH ?? 10_000)
const SECONDS = Number(process.env.SECONDS ?? 5)

const database = await freshDatabase('bench_inbox')
const service = await startService({ DATABASE_URL: database.url })
try {
  const reader = await api<{ user: { id: number }, token: string }>(service.base, 'POST', '/auth/register', { username: 'reader', password: 'password123' })
  const sql = postgres(database.url, { max: 1, onnotice: () => {} })
  await sql`insert into users (username, password_hash) select 'peer' || g, 'not-a-hash' from generate_series(1, ${PEERS}) g`
  await sql`insert into messages (sender_id, recipient_id, message_text)
    select id, ${reader.user.id}, 'hello ' || id from users where id <> ${reader.user.id} order by id`
  // What the message store's statement keeps, for both people of each message.
  await sql`insert into conversations (owner_id, peer_id, last_message_id, unread_count)
    select recipient_id, sender_id, id, 1 from messages union all select sender_id, recipient_id, id, 0 from messages`
  await sql`analyze`
  await sql.end()

  let cursor: string | null = null
  for (let seen = 0; seen < DEPTH; seen += 100) {
    const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''
    cursor = (await api<{ nextCursor: string | null }>(service.base, 'GET', `/conversations?limit=100${query}`, undefined, reader.token)).nextCursor
  }
  if (!cursor) throw new Error('the walk ended early')

  const headers = { authorization: `Bearer ${reader.token}` }
  const first = await load({ url: `${service.base}/conversations?limit=20`, headers, duration: SECONDS })
  const deep = await load({ url: `${service.base}/conversations?limit=20&cursor=${encodeURIComponent(cursor)}`, headers, duration: SECONDS })

  console.log(`inbox-depth: GET /conversations?limit=20, ${PEERS} conversations, 10 connections, ${SECONDS} s each`)
  console.table({ 'page 1': first, [`page at depth ${DEPTH}`]: deep })
  const result = { scenario: 'inbox-depth', peers: PEERS, depth: DEPTH, first, deep, rpsRatio: ratio(first.requestsPerSecond, deep.requestsPerSecond), p99Ratio: ratio(deep.p99, first.p99) }
  console.log(`first / deep requests/s ${result.rpsRatio} (cost of the deep page relative to page 1), p99 deep / first ${result.p99Ratio}`)
  console.log(JSON.stringify(result))
} finally {
  await service.stop()
  await database.drop()
}
