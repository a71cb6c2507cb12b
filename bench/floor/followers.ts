/**
 * The floor for the followers scenario: the same work as GET /users/:id/followers (the same
 * JWT verification, the same two SQL statements through postgres-js, the same signed cursor)
 * with nothing but node:http. Whatever the service costs beyond this is the framework's.
 */
import { createServer, type ServerResponse } from 'node:http'
import { createVerifier } from 'fast-jwt'
import postgres from 'postgres'
import { createCursors } from '../../src/plugins/cursors.js'

const sql = postgres(process.env.DATABASE_URL!, { max: 10, onnotice: () => {} })
const verify = createVerifier({ key: process.env.JWT_SECRET!, algorithms: ['HS256'] })
const cursors = createCursors(process.env.JWT_SECRET!)

const send = (response: ServerResponse, status: number, body: unknown) => {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' })
  response.end(JSON.stringify(body))
}

const server = createServer(async (request, response) => {
  const url = new URL(request.url!, 'http://floor')
  if (url.pathname === '/ready') return send(response, 200, { status: 'ok' })
  const match = /^\/users\/(\d+)\/followers$/.exec(url.pathname)
  if (!match) return send(response, 404, { statusCode: 404 })
  const header = request.headers.authorization ?? ''
  let callerId: number
  try {
    callerId = Number(verify(header.slice(7)).sub)
  } catch {
    return send(response, 401, { statusCode: 401 })
  }
  const [caller] = await sql`select "id" from "users" where "users"."id" = ${callerId}`
  if (!caller) return send(response, 401, { statusCode: 401 })
  const userId = Number(match[1])
  const limit = Number(url.searchParams.get('limit') ?? 20)
  const rows = await sql`select "users"."id", "users"."username", "users"."profile_picture", "users"."created_at", "follows"."created_at" as followed_at
    from "follows" inner join "users" on "users"."id" = "follows"."follower_id"
    where "follows"."followee_id" = ${userId}
    order by "follows"."created_at" desc, "follows"."follower_id" desc limit ${limit + 1}`
  const page = rows.slice(0, limit)
  const last = page[page.length - 1]
  send(response, 200, {
    items: page.map((row) => ({
      id: Number(row.id),
      username: row.username,
      profilePictureUrl: row.profile_picture === null ? null : `/images/${row.profile_picture}`,
      createdAt: row.created_at.toISOString(),
      followedAt: row.followed_at.toISOString(),
    })),
    nextCursor: rows.length > limit && last ? cursors.encode(`followers:${userId}`, [last.followed_at.getTime(), Number(last.id)]) : null,
  })
})

server.listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1')
process.on('SIGTERM', () => {
  server.close()
  void sql.end()
})
