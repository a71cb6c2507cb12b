import t from 'tap'
import { and, eq, sql } from 'drizzle-orm'
import { follows } from '../src/db/schema.js'
import { followChanged } from '../src/features/follows/events.js'
import { buildTestApp, register } from './helper.js'

const app = await buildTestApp(t)
type Account = Awaited<ReturnType<typeof register>>
const call = (user: Account, method: 'GET' | 'PUT' | 'DELETE' | 'POST', url: string, payload?: object) =>
  app.inject({ method, url, headers: user.auth, ...(payload && { payload }) })

t.test('follow, relationship and unfollow', async (t) => {
  const [ann, ben] = [await register(app), await register(app)]
  t.same((await call(ann, 'GET', `/users/${ben.id}/relationship`)).json(),
    { userId: ben.id, following: false, followedBy: false, mutual: false, blocking: false, blockedBy: false })

  const followed = await call(ann, 'PUT', `/users/${ben.id}/follow`)
  t.equal(followed.statusCode, 200)
  t.same(followed.json(), { userId: ben.id, following: true, followedBy: false, mutual: false, blocking: false, blockedBy: false })
  t.same((await call(ben, 'GET', `/users/${ann.id}/relationship`)).json(),
    { userId: ann.id, following: false, followedBy: true, mutual: false, blocking: false, blockedBy: false })

  t.same((await call(ben, 'PUT', `/users/${ann.id}/follow`)).json(),
    { userId: ann.id, following: true, followedBy: true, mutual: true, blocking: false, blockedBy: false })
  t.same((await call(ann, 'PUT', `/users/${ben.id}/follow`)).json(),
    { userId: ben.id, following: true, followedBy: true, mutual: true, blocking: false, blockedBy: false }, 'following again is idempotent')

  const profile = (await call(ann, 'GET', `/users/${ben.id}`)).json()
  t.equal(profile.followersCount, 1)
  t.equal(profile.followingCount, 1)

  t.same((await call(ann, 'DELETE', `/users/${ben.id}/follow`)).json(),
    { userId: ben.id, following: false, followedBy: true, mutual: false, blocking: false, blockedBy: false })
  const again = await call(ann, 'DELETE', `/users/${ben.id}/follow`)
  t.equal(again.statusCode, 200, 'unfollowing someone you do not follow is a 200')
  t.same(again.json(), { userId: ben.id, following: false, followedBy: true, mutual: false, blocking: false, blockedBy: false })
})

t.test('following yourself is CANNOT_FOLLOW_SELF', async (t) => {
  const ann = await register(app)
  for (const response of [await call(ann, 'PUT', `/users/${ann.id}/follow`), await call(ann, 'POST', '/users/follow', { userId: ann.id })]) {
    t.equal(response.statusCode, 400)
    t.same(response.json(), { statusCode: 400, code: 'CANNOT_FOLLOW_SELF', error: 'Bad Request', message: 'you cannot follow yourself' })
  }
})

t.test('every route that names a user: unknown id is 404, malformed id is 400', async (t) => {
  const ann = await register(app)
  const routes: Array<[('GET' | 'PUT' | 'DELETE'), string]> = [
    ['GET', '/users/%'], ['PUT', '/users/%/follow'], ['DELETE', '/users/%/follow'],
    ['GET', '/users/%/relationship'], ['GET', '/users/%/followers'], ['GET', '/users/%/following'],
  ]
  for (const [method, pattern] of routes) {
    const missing = await call(ann, method, pattern.replace('%', '999999999'))
    t.equal(missing.statusCode, 404, `${method} ${pattern} unknown`)
    t.equal(missing.json().code, 'USER_NOT_FOUND')
    for (const bad of ['abc', '0', '-1', '1.5', '1e23', '9007199254740993', String(2 ** 53)]) {
      const response = await call(ann, method, pattern.replace('%', bad))
      t.equal(response.statusCode, 400, `${method} ${pattern} ${bad}`)
      t.equal(response.json().code, 'FST_ERR_VALIDATION')
    }
  }
  for (const [url, payload] of [['/users/follow', { userId: 999999999 }], ['/users/unfollow', { userId: 999999999 }]] as const) {
    t.equal((await call(ann, 'POST', url, payload)).json().code, 'USER_NOT_FOUND', url)
    for (const userId of ['01', 'one', 0, -1, 1.5, 1e23, null]) {
      t.equal((await call(ann, 'POST', url, { userId })).statusCode, 400, `${url} ${JSON.stringify(userId)}`)
    }
    t.equal((await call(ann, 'POST', url, {})).statusCode, 400, `${url} without userId`)
  }
  for (const url of ['/users/getAlFollowers?userId=999999999', '/users/getAllFollowings?userId=999999999']) {
    t.equal((await call(ann, 'GET', url)).json().code, 'USER_NOT_FOUND', url)
  }
  t.equal((await call(ann, 'GET', '/users/getAlFollowers?userId=abc')).statusCode, 400)
})

t.test('the same follow sent 20 times at once leaves one row and twenty 200s', async (t) => {
  const [ann, ben] = [await register(app), await register(app)]
  const responses = await Promise.all(Array.from({ length: 20 }, () => call(ann, 'PUT', `/users/${ben.id}/follow`)))
  t.same(responses.map((response) => response.statusCode), Array(20).fill(200))
  const rows = await app.database.db.select().from(follows)
    .where(and(eq(follows.followerId, ann.id), eq(follows.followeeId, ben.id)))
  t.equal(rows.length, 1)
})

t.test('counts stay exact under a concurrent follow/unfollow storm', async (t) => {
  const star = await register(app)
  const fans = await Promise.all(Array.from({ length: 12 }, () => register(app)))
  const expected = new Map<number, boolean>()
  const storm = fans.flatMap((fan, i) => Array.from({ length: 6 }, (_, round) => {
    const follow = (i + round) % 3 !== 0
    return { fan, follow, round }
  }))
  // Each fan's own calls go in order (so its final state is known); fans race each other.
  await Promise.all(fans.map(async (fan) => {
    for (const step of storm.filter((s) => s.fan === fan)) {
      await call(fan, step.follow ? 'PUT' : 'DELETE', `/users/${star.id}/follow`)
      expected.set(fan.id, step.follow)
    }
  }))
  const followersExpected = [...expected.values()].filter(Boolean).length
  const profile = (await call(star, 'GET', `/users/${star.id}`)).json()
  t.equal(profile.followersCount, followersExpected)
  const [counted] = await app.database.db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(follows).where(eq(follows.followeeId, star.id))
  t.equal(counted?.n, followersExpected)
  for (const fan of fans.slice(0, 3)) {
    t.equal((await call(fan, 'GET', '/users/me')).json().followingCount, expected.get(fan.id) ? 1 : 0)
  }
})

async function walk(user: Account, url: string, limit: number, during?: (page: number) => Promise<void>) {
  const seen: Array<{ id: number, followedAt: string }> = []
  let cursor: string | null = null
  let page = 0
  do {
    const query: string = `limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`
    const response = await call(user, 'GET', `${url}${url.includes('?') ? '&' : '?'}${query}`)
    if (response.statusCode !== 200) throw new Error(response.body)
    const body = response.json()
    if (body.nextCursor !== null && body.items.length !== limit) throw new Error('a page before the last was not full')
    seen.push(...body.items)
    cursor = body.nextCursor
    await during?.(page++)
  } while (cursor !== null)
  return seen
}

t.test('walking a follow list visits every entry once, newest first, even while follows are added', async (t) => {
  const star = await register(app)
  const fans = await Promise.all(Array.from({ length: 11 }, () => register(app)))
  // Several follows land in the same millisecond: the tie is broken by id.
  await Promise.all(fans.map((fan) => call(fan, 'PUT', `/users/${star.id}/follow`)))
  const late = await Promise.all(Array.from({ length: 3 }, () => register(app)))

  for (const limit of [1, 2, 3, 5, 11, 100]) {
    const seen = await walk(star, `/users/${star.id}/followers`, limit)
    t.same(seen.map((entry) => entry.id).sort(), fans.map((fan) => fan.id).sort(), `limit ${limit}`)
    const order = seen.map((entry) => [Date.parse(entry.followedAt), entry.id] as const)
    t.ok(order.every((entry, i) => i === 0 || entry[0] < order[i - 1]![0] || (entry[0] === order[i - 1]![0] && entry[1] < order[i - 1]![1])), 'newest first')
  }

  const seen = await walk(star, `/users/${star.id}/followers`, 3, async (page) => {
    const fan = late[page]
    if (fan) await call(fan, 'PUT', `/users/${star.id}/follow`)
  })
  t.same(seen.map((entry) => entry.id).sort(), fans.map((fan) => fan.id).sort(), 'follows made during the walk do not disturb it')

  const following = await walk(fans[0]!, `/users/${fans[0]!.id}/following`, 1)
  t.same(following.map((entry) => entry.id), [star.id])
  t.same(Object.keys(following[0]!).sort(), ['createdAt', 'followedAt', 'id', 'profilePictureUrl', 'username'])
})

t.test('malformed, tampered and foreign cursors are 400 INVALID_CURSOR', async (t) => {
  const star = await register(app)
  const fans = await Promise.all(Array.from({ length: 3 }, () => register(app)))
  for (const fan of fans) await call(fan, 'PUT', `/users/${star.id}/follow`)
  const first = (await call(star, 'GET', `/users/${star.id}/followers?limit=1`)).json()
  const cursor: string = first.nextCursor
  const [payload, signature] = cursor.split('.') as [string, string]
  const forged = Buffer.from(JSON.stringify([Date.now(), 1])).toString('base64url')
  const cases = [
    'garbage', '....', `${payload}`, `${payload}.`, `${forged}.${signature}`,
    `${payload}.${signature.slice(0, -2)}AA`, `${payload}.${signature}.x`, '%00',
  ]
  for (const bad of cases) {
    const response = await call(star, 'GET', `/users/${star.id}/followers?cursor=${encodeURIComponent(bad)}`)
    t.equal(response.statusCode, 400, bad)
    t.equal(response.json().code, 'INVALID_CURSOR')
  }
  const foreign = await call(star, 'GET', `/users/${star.id}/following?cursor=${encodeURIComponent(cursor)}`)
  t.equal(foreign.json().code, 'INVALID_CURSOR', 'a followers cursor is refused on the following list')
  for (const limit of ['0', '101', 'abc', '-1', '2.5']) {
    const response = await call(star, 'GET', `/users/${star.id}/followers?limit=${limit}`)
    t.equal(response.statusCode, 400, `limit ${limit}`)
    t.equal(response.json().code, 'FST_ERR_VALIDATION')
  }
  const long = await call(star, 'GET', `/users/${star.id}/followers?cursor=${'a'.repeat(600)}`)
  t.equal(long.statusCode, 400)
})

t.test('legacy routes answer exactly like the routes they stand for', async (t) => {
  const [ann, ben, cat] = [await register(app), await register(app), await register(app)]
  const legacyFollow = await call(ann, 'POST', '/users/follow', { userId: ben.id })
  t.equal(legacyFollow.statusCode, 200)
  t.same(legacyFollow.json(), (await call(ann, 'PUT', `/users/${ben.id}/follow`)).json())
  await call(cat, 'POST', '/users/follow', { userId: ann.id })

  t.same((await call(ann, 'GET', '/users/getAllFollowings')).json(), (await call(ann, 'GET', `/users/${ann.id}/following`)).json())
  t.same((await call(ann, 'GET', '/users/getAlFollowers')).json(), (await call(ann, 'GET', `/users/${ann.id}/followers`)).json())
  t.same((await call(ben, 'GET', `/users/getAlFollowers?userId=${ann.id}`)).json().items.map((u: { id: number }) => u.id), [cat.id])
  t.same((await call(ben, 'GET', `/users/getAllFollowings?userId=${cat.id}&limit=1`)).json().items.map((u: { id: number }) => u.id), [ann.id])

  const legacyUnfollow = await call(ann, 'POST', '/users/unfollow', { userId: ben.id })
  t.same(legacyUnfollow.json(), { userId: ben.id, following: false, followedBy: false, mutual: false, blocking: false, blockedBy: false })
  t.same((await call(ann, 'POST', '/users/unfollow', { userId: ben.id })).json(), (await call(ann, 'DELETE', `/users/${ben.id}/follow`)).json())
})

t.test('follow routes need a token', async (t) => {
  for (const [method, url] of [['PUT', '/users/1/follow'], ['GET', '/users/1/followers'], ['POST', '/users/follow'], ['GET', '/users/getAlFollowers']] as const) {
    const response = await app.inject({ method, url, payload: method === 'POST' ? { userId: 1 } : undefined })
    t.equal(response.statusCode, 401, url)
    t.equal(response.json().code, 'UNAUTHORIZED')
  }
})

t.test('a change to the follow graph is announced once per real change', async (t) => {
  const [ann, ben] = [await register(app), await register(app)]
  const changes: Array<[number, number]> = []
  t.teardown(app.bus.subscribe(followChanged, ({ followerId, followeeId }) => changes.push([followerId, followeeId])))
  await call(ann, 'PUT', `/users/${ben.id}/follow`)
  await call(ann, 'PUT', `/users/${ben.id}/follow`)
  await call(ann, 'DELETE', `/users/${ben.id}/follow`)
  await call(ann, 'DELETE', `/users/${ben.id}/follow`)
  t.same(changes, [[ann.id, ben.id], [ann.id, ben.id]])
})
