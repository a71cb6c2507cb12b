import t from 'tap'
import { buildTestApp, register } from './helper.js'

const app = await buildTestApp(t)
const names = ['Zed', 'alpha', 'Alphonse', 'al_x', 'alx', 'al.y', 'Beta', 'ALBERT']
const people = new Map<string, Awaited<ReturnType<typeof register>>>()
for (const name of names) people.set(name, await register(app, name))
const viewer = people.get('Zed')!
const get = (url: string) => app.inject({ url, headers: viewer.auth })

t.test("GET /users/:id is a user's profile", async (t) => {
  const alpha = people.get('alpha')!
  await app.inject({ method: 'PUT', url: `/users/${alpha.id}/follow`, headers: viewer.auth })
  const response = await get(`/users/${alpha.id}`)
  t.equal(response.statusCode, 200)
  const profile = response.json()
  t.same(Object.keys(profile).sort(), ['createdAt', 'followersCount', 'followingCount', 'id', 'profilePictureUrl', 'username'])
  t.match(profile, { id: alpha.id, username: 'alpha', profilePictureUrl: null, followersCount: 1, followingCount: 0 })
  t.equal((await get('/users/me')).json().followingCount, 1)
})

t.test('search is a case-insensitive prefix match, in alphabetical order', async (t) => {
  const search = async (prefix: string) => (await get(`/users?search=${encodeURIComponent(prefix)}`)).json().items.map((u: { username: string }) => u.username)
  t.same(await search('al'), ['al.y', 'al_x', 'ALBERT', 'alpha', 'Alphonse', 'alx'])
  t.same(await search('ALPH'), ['alpha', 'Alphonse'])
  t.same(await search('al_'), ['al_x'], '_ matches itself, not any character')
  t.same(await search('al.'), ['al.y'])
  t.same(await search('nobody'), [])
  for (const bad of ['al%', 'a b', '', "'", 'x'.repeat(31)]) {
    const response = await get(`/users?search=${encodeURIComponent(bad)}`)
    t.equal(response.statusCode, 400, JSON.stringify(bad))
    t.equal(response.json().code, 'FST_ERR_VALIDATION')
  }
})

t.test('without search, the directory pages through every user once', async (t) => {
  const seen: string[] = []
  let cursor: string | null = null
  do {
    const response = await get(`/users?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)
    t.equal(response.statusCode, 200)
    const page = response.json()
    if (page.nextCursor) t.equal(page.items.length, 3, 'every page but the last is full')
    seen.push(...page.items.map((u: { username: string }) => u.username))
    cursor = page.nextCursor
  } while (cursor)
  t.same(seen, [...names].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1)))

  const first = (await get('/users?search=al&limit=2')).json()
  t.equal(first.items.length, 2)
  const next = (await get(`/users?search=al&limit=10&cursor=${encodeURIComponent(first.nextCursor)}`)).json()
  t.same(next.items.map((u: { username: string }) => u.username), ['ALBERT', 'alpha', 'Alphonse', 'alx'])
  const foreign = await get(`/users?search=b&cursor=${encodeURIComponent(first.nextCursor)}`)
  t.equal(foreign.json().code, 'INVALID_CURSOR', 'a cursor belongs to its search')
})

t.test('the directory needs a token', async (t) => {
  t.equal((await app.inject({ url: '/users' })).statusCode, 401)
  t.equal((await app.inject({ url: `/users/${viewer.id}` })).statusCode, 401)
})
