/**
 * The floor for the chat scenario: the same work per message as the service's chat (the same
 * JWT verification on the upgrade; parse, validate, mutual-follow check cached per pair, the
 * same batched INSERT through postgres-js, ack, deliver to every other socket of both users)
 * with nothing but node:http and ws. Whatever the service costs beyond this is its own.
 */
import { createServer } from 'node:http'
import { createVerifier } from 'fast-jwt'
import postgres from 'postgres'
import { WebSocketServer, type WebSocket } from 'ws'

const sql = postgres(process.env.DATABASE_URL!, { max: 10, onnotice: () => {} })
// As Drizzle's postgres-js driver sets them up for the service: timestamps come as text, and
// JSON parameters are sent as the text given.
const passThrough = (value: unknown) => value
const { parsers, serializers } = sql.options as unknown as Record<'parsers' | 'serializers', Record<string, unknown>>
for (const type of ['1184', '1082', '1083', '1114', '1182', '1185', '1115', '1231']) parsers[type] = serializers[type] = passThrough
serializers['114'] = serializers['3802'] = passThrough
const verify = createVerifier({ key: process.env.JWT_SECRET!, algorithms: ['HS256'] })

interface Draft { senderId: number, recipientId: number, messageText: string, clientMessageId: string | null }
interface Waiting { draft: Draft, from: WebSocket }
interface Row { id: string, sender_id: string, recipient_id: string, message_text: string, client_message_id: string | null, created_at: string }

const sockets = new Map<number, Set<WebSocket>>()
const userOf = new WeakMap<WebSocket, number>()
const pairs = new Map<string, boolean>()

const refuse = (socket: WebSocket, code: string, message: string) => socket.send(JSON.stringify({ type: 'error', code, message }))

async function mutual(a: number, b: number) {
  const key = a < b ? `${a}:${b}` : `${b}:${a}`
  const known = pairs.get(key)
  if (known !== undefined) return known
  const [row] = await sql`select exists (select 1 from "users" where "users"."id" = ${b}) as "recipientExists",
    (select count(*) from "follows" where ("follows"."follower_id" = ${a} and "follows"."followee_id" = ${b})
      or ("follows"."follower_id" = ${b} and "follows"."followee_id" = ${a})) as "follows"
    from (select 1) as one`
  const yes = Boolean(row?.recipientExists) && Number(row?.follows) === 2
  pairs.set(key, yes)
  return yes
}

let queue: Waiting[] = []
let writing: Promise<void> | undefined

async function writeAll() {
  while (queue.length > 0) {
    const batch = queue
    queue = []
    const json = JSON.stringify(batch.map(({ draft }) => ({
      sender_id: draft.senderId, recipient_id: draft.recipientId, message_text: draft.messageText, client_message_id: draft.clientMessageId,
    })))
    const rows = await sql<Row[]>`insert into "messages" (sender_id, recipient_id, message_text, client_message_id)
        select (draft->>'sender_id')::bigint, (draft->>'recipient_id')::bigint, draft->>'message_text', draft->>'client_message_id'
        from json_array_elements(${json}::json) with ordinality as batch(draft, position)
        order by batch.position
        on conflict do nothing
        returning id, sender_id, recipient_id, message_text, client_message_id, created_at`
    rows.forEach((row, i) => {
      const { from } = batch[i]!
      const fields = JSON.stringify({
        id: Number(row.id), senderId: Number(row.sender_id), recipientId: Number(row.recipient_id),
        messageText: row.message_text, clientMessageId: row.client_message_id, createdAt: new Date(row.created_at).toISOString(),
      }).slice(1)
      from.send(`{"type":"ack",${fields}`)
      const frame = Buffer.from(`{"type":"message",${fields}`)
      for (const socket of sockets.get(Number(row.recipient_id)) ?? []) socket.send(frame)
      for (const socket of sockets.get(Number(row.sender_id)) ?? []) if (socket !== from) socket.send(frame)
    })
  }
  writing = undefined
}

function onMessage(this: WebSocket, data: Buffer) {
  const senderId = userOf.get(this)!
  let frame: { recipientId?: unknown, messageText?: unknown, clientMessageId?: unknown, type?: unknown }
  try {
    frame = JSON.parse(data.toString('utf8'))
  } catch {
    return refuse(this, 'INVALID_MESSAGE', 'the frame is not valid JSON')
  }
  const { recipientId, messageText, clientMessageId, type } = frame ?? {}
  if (typeof frame !== 'object' || frame === null || (type !== undefined && type !== 'message') ||
    !Number.isSafeInteger(recipientId) || (recipientId as number) < 1 ||
    typeof messageText !== 'string' || messageText.length === 0 || messageText.includes('\0') ||
    (clientMessageId !== undefined && (typeof clientMessageId !== 'string' || clientMessageId.length === 0 || clientMessageId.length > 128))) {
    return refuse(this, 'INVALID_MESSAGE', 'invalid frame')
  }
  let length = 0
  for (const _ of messageText) length++
  if (length > 4000) return refuse(this, 'MESSAGE_TOO_LONG', 'too long')
  const draft: Draft = { senderId, recipientId: recipientId as number, messageText, clientMessageId: (clientMessageId as string | undefined) ?? null }
  const store = (yes: boolean) => {
    if (!yes) return refuse(this, 'NOT_MUTUAL_FOLLOWERS', 'not mutual')
    queue.push({ draft, from: this })
    writing ??= new Promise((ready) => setImmediate(ready)).then(writeAll)
  }
  const known = pairs.get(senderId < draft.recipientId ? `${senderId}:${draft.recipientId}` : `${draft.recipientId}:${senderId}`)
  if (known !== undefined) store(known)
  else void mutual(senderId, draft.recipientId).then(store)
}

const server = createServer((request, response) => {
  response.writeHead(request.url === '/ready' ? 200 : 404, { 'content-type': 'application/json' })
  response.end('{"status":"ok"}')
})
const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 })
server.on('upgrade', async (request, socket, head) => {
  let userId: number
  try {
    userId = Number(verify((request.headers.authorization ?? '').slice(7)).sub)
  } catch {
    socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n')
    return
  }
  // As the service does: the token's user must still exist.
  const [user] = await sql`select "id" from "users" where "users"."id" = ${userId}`
  if (!user) {
    socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n')
    return
  }
  wss.handleUpgrade(request, socket, head, (ws) => {
    userOf.set(ws, userId)
    let own = sockets.get(userId)
    if (!own) sockets.set(userId, own = new Set())
    own.add(ws)
    ws.on('message', onMessage)
    ws.on('close', () => own.delete(ws))
  })
})

server.listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1')
process.on('SIGTERM', () => {
  for (const client of wss.clients) client.terminate()
  server.close()
  void sql.end()
})
