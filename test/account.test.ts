import t from 'tap'
import { sql } from 'drizzle-orm'
import { join } from 'node:path'
import { rowsOf } from '../src/db/client.js'
import { befriend, chatServer } from './chat-helpers.js'
import { register, tempDir } from './helper.js'
import { filesIn, imageOf, picturePart, upload } from './picture-fixtures.js'

const uploads = join(tempDir(t), 'images')
const server = await chatServer(t, { env: { UPLOAD_DIR: uploads, RATE_LIMIT_LOGIN: '3/15m' } })
const { app } = server
type Account = Awaited<ReturnType<typeof register>>
const me = (token: string) => app.inject({ url: '/users/me', headers: { authorization: `Bearer ${token}` } })
const login = (username: string, password: string) => app.inject({ method: 'POST', url: '/auth/login', payload: { username, password } })
const changePassword = (user: Account, currentPassword: string, newPassword: string) =>
  app.inject({ method: 'PUT', url: '/users/me/password', headers: user.auth, payload: { currentPassword, newPassword } })

t.test('a password change re-checks the current one, and ends every other session', async (t) => {
  const user = await register(app)
  const other = (await login(user.username, user.password)).json().token as string
  const wrong = await changePassword(user, 'not-my-password', 'a new password')
  t.equal(wrong.statusCode, 401)
  t.equal(wrong.json().code, 'INVALID_CREDENTIALS')
  t.equal((await me(other)).statusCode, 200, 'a wrong one changes nothing')

  const changed = await changePassword(user, user.password, 'a new password')
  t.equal(changed.statusCode, 204)
  t.equal((await me(user.token)).statusCode, 200, 'this session stays')
  t.equal((await me(other)).json().code, 'TOKEN_REVOKED', 'the others end')
  t.equal((await login(user.username, user.password)).statusCode, 401, 'the old password is gone')
  t.equal((await login(user.username, 'a new password')).statusCode, 200)
  const short = await changePassword(user, 'a new password', 'short')
  t.equal(short.statusCode, 400)
  t.match(short.json().message, /newPassword/, 'the message names the field')
})

t.test('wrong current passwords count against the failed-login limit', async (t) => {
  const user = await register(app)
  for (let i = 0; i < 3; i++) t.equal((await changePassword(user, 'wrong password', 'another password')).statusCode, 401)
  const limited = await changePassword(user, user.password, 'another password')
  t.equal(limited.statusCode, 429)
  t.equal(limited.json().code, 'RATE_LIMITED')
  t.ok(Number(limited.headers['retry-after']) > 0)
  t.equal((await login(user.username, user.password)).statusCode, 429, 'and logins under the same name and address too')
  const erase = await app.inject({ method: 'POST', url: '/users/me/delete', headers: user.auth, payload: { password: user.password } })
  t.equal(erase.statusCode, 429, 'erasure checks the password under the same limit')
})

/** Every column of every table that names a user (users.id and each foreign key to it). */
async function userColumns() {
  return rowsOf<{ table_name: string, column_name: string }>(app.database.db, sql`
    select kcu.table_name, kcu.column_name
    from information_schema.table_constraints tc
    join information_schema.key_column_usage kcu on kcu.constraint_name = tc.constraint_name and kcu.table_schema = tc.table_schema
    join information_schema.constraint_column_usage ccu on ccu.constraint_name = tc.constraint_name and ccu.table_schema = tc.table_schema
    where tc.constraint_type = 'FOREIGN KEY' and tc.table_schema = 'public' and ccu.table_name = 'users' and ccu.column_name = 'id'
    union select 'users', 'id'`)
}

async function rowsNaming(userId: number) {
  const found: string[] = []
  for (const { table_name: table, column_name: column } of await userColumns()) {
    const [row] = await rowsOf<{ count: number }>(app.database.db, sql`select count(*)::int as count from ${sql.identifier(table)} where ${sql.identifier(column)} = ${userId}`)
    if (row!.count > 0) found.push(`${table}.${column}: ${row!.count}`)
  }
  return found
}

t.test('erasure removes every row naming the user, their picture, and closes their sockets', async (t) => {
  const [doomed, friend, blocker, blocked] = [await register(app), await register(app), await register(app), await register(app)]
  const columns = (await userColumns()).map((c) => `${c.table_name}.${c.column_name}`).sort()
  for (const expected of ['users.id', 'follows.follower_id', 'follows.followee_id', 'messages.sender_id', 'messages.recipient_id', 'sessions.user_id', 'blocks.blocker_id', 'blocks.blocked_id']) {
    t.ok(columns.includes(expected), `${expected} is among the columns looked in`)
  }
  t.equal((await upload(app, doomed.auth, [picturePart(await imageOf('jpeg'))])).statusCode, 200)
  const picture = filesIn(uploads).filter((name) => name.endsWith('.webp'))
  t.equal(picture.length, 1, 'the picture is stored')
  await befriend(app, doomed, friend)
  await app.inject({ method: 'PUT', url: `/users/${doomed.id}/block`, headers: blocker.auth })
  await app.inject({ method: 'PUT', url: `/users/${blocked.id}/block`, headers: doomed.auth })
  await login(doomed.username, doomed.password)
  const doomedClient = await server.connect(t, doomed)
  const friendClient = await server.connect(t, friend)
  doomedClient.send({ recipientId: friend.id, messageText: 'sent by the doomed' })
  await doomedClient.nextOf('ack')
  await friendClient.nextOf('message')
  friendClient.send({ recipientId: doomed.id, messageText: 'received by the doomed' })
  await friendClient.nextOf('ack')
  t.same((await app.inject({ url: '/conversations', headers: friend.auth })).json().items.length, 1, 'the friend has the conversation')
  t.ok((await rowsNaming(doomed.id)).length >= 6, 'rows name the user before')

  const wrong = await app.inject({ method: 'POST', url: '/users/me/delete', headers: doomed.auth, payload: { password: 'not the password' } })
  t.equal(wrong.statusCode, 401)
  t.equal(wrong.json().code, 'INVALID_CREDENTIALS')
  const erased = await app.inject({ method: 'POST', url: '/users/me/delete', headers: doomed.auth, payload: { password: doomed.password } })
  t.equal(erased.statusCode, 204)
  t.same(await doomedClient.closed, { code: 1008, reason: 'session ended; log in again' })
  t.same(await rowsNaming(doomed.id), [], 'no row of any table names the user')
  t.same(filesIn(uploads).filter((name) => !name.startsWith('.')), [], 'the picture file is gone')
  t.same((await app.inject({ url: '/conversations', headers: friend.auth })).json().items, [], "the conversation left the friend's inbox")
  t.same((await app.inject({ url: '/conversations/unread', headers: friend.auth })).json(), { conversations: 0, messages: 0 })
  t.same((await app.inject({ url: '/messages/sync', headers: friend.auth })).json().items, [], "nor does the friend's sync show the messages")
  t.equal((await me(doomed.token)).statusCode, 401, 'the token is refused')
  const again = await app.inject({ method: 'POST', url: '/auth/register', payload: { username: doomed.username, password: 'a fresh password' } })
  t.equal(again.statusCode, 201, 'the username can be taken again')
})
