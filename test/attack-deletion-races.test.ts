import t from 'tap'
import { eq } from 'drizzle-orm'
import postgres from 'postgres'
import { users } from '../src/db/schema.js'
import { buildTestApp, createTestDatabase, register } from './helper.js'

// Requests racing the deletion of a user they name: never a 500; /users/me for an account gone
// means its token names nobody (401), as for any token of a deleted user.

t.test('a follow racing the followee\'s deletion is 404 USER_NOT_FOUND, not a 500', { skip: !process.env.DATABASE_URL && 'needs a second connection (PostgreSQL)' }, async (t) => {
  const url = await createTestDatabase(t)
  const app = await buildTestApp(t, { DATABASE_URL: url })
  const follower = await register(app)
  const followee = await register(app)
  // A deletion that has run but not committed: the follow's select still sees the followee,
  // its foreign-key check waits for this transaction, and then finds the row gone (23503).
  const other = postgres(url, { max: 1, onnotice: () => {} })
  t.teardown(() => other.end())
  const follow = await other.reserve()
  await follow.unsafe('begin')
  await follow.unsafe('delete from users where id = $1', [followee.id])
  const answer = app.inject({ method: 'PUT', url: `/users/${followee.id}/follow`, headers: follower.auth })
  // Long enough for the insert to reach the lock on a loaded machine; the outcome does not depend on it.
  await new Promise((resolve) => setTimeout(resolve, 500))
  await follow.unsafe('commit')
  follow.release()
  const response = await answer
  t.equal(response.statusCode, 404, response.body)
  t.equal(response.json().code, 'USER_NOT_FOUND')

  const legacy = await register(app)
  const gone = await register(app)
  const tx = await other.reserve()
  await tx.unsafe('begin')
  await tx.unsafe('delete from users where id = $1', [gone.id])
  const legacyAnswer = app.inject({ method: 'POST', url: '/users/follow', headers: legacy.auth, payload: { userId: gone.id } })
  await new Promise((resolve) => setTimeout(resolve, 500))
  await tx.unsafe('commit')
  tx.release()
  t.equal((await legacyAnswer).statusCode, 404, 'the legacy route too')
})

t.test('/users/me, for a caller deleted after its token was checked, is 401', async (t) => {
  const app = await buildTestApp(t)
  // Deletes the caller between authentication and the handler, which is where the race falls.
  app.addHook('preHandler', async (request) => {
    if (request.headers['x-delete-caller'] === 'yes') await app.database.db.delete(users).where(eq(users.id, request.userId))
  })
  const user = await register(app)
  const response = await app.inject({ url: '/users/me', headers: { ...user.auth, 'x-delete-caller': 'yes' } })
  t.equal(response.statusCode, 401, response.body)
  t.equal(response.json().code, 'TOKEN_INVALID')
  t.equal((await app.inject({ url: '/users/me', headers: user.auth })).statusCode, 401, 'and afterwards, as always')
})
