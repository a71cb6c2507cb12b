import t from 'tap'
import { eq } from 'drizzle-orm'
import { users } from '../src/db/schema.js'
import { buildTestApp, register, uniqueName } from './helper.js'

const app = await buildTestApp(t)
const post = (url: string, payload: unknown) => app.inject({ method: 'POST', url, payload: payload as object })

t.test('register answers the user and a working token', async (t) => {
  const username = uniqueName('Alice')
  const response = await post('/auth/register', { username, password: 'password123' })
  t.equal(response.statusCode, 201)
  const body = response.json()
  t.same(Object.keys(body).sort(), ['token', 'user'])
  t.same(Object.keys(body.user).sort(), ['createdAt', 'id', 'profilePictureUrl', 'username'])
  t.equal(body.user.username, username, 'the spelling given is kept')
  t.equal(body.user.profilePictureUrl, null)
  t.match(body.user.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
  const me = await app.inject({ url: '/users/me', headers: { authorization: `Bearer ${body.token}` } })
  t.equal(me.statusCode, 200)
  t.same(me.json(), { ...body.user, followersCount: 0, followingCount: 0 })
})

t.test('the password is stored as argon2id at OWASP parameters and never returned', async (t) => {
  const user = await register(app)
  const [row] = await app.database.db.select().from(users).where(eq(users.id, user.id))
  t.match(row?.passwordHash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/)
  const login = await post('/auth/login', { username: user.username, password: user.password })
  t.notMatch(login.body, /argon2|password/i)
})

t.test('usernames are unique ignoring case', async (t) => {
  const username = uniqueName('Bob')
  await register(app, username)
  for (const variant of [username, username.toLowerCase(), username.toUpperCase()]) {
    const response = await post('/auth/register', { username: variant, password: 'password123' })
    t.equal(response.statusCode, 409, variant)
    t.same(response.json(), {
      statusCode: 409, code: 'USERNAME_TAKEN', error: 'Conflict', message: `username '${variant}' is taken`,
    })
  }
})

t.test('concurrent registrations of one name: exactly one wins', async (t) => {
  const username = uniqueName('race')
  const responses = await Promise.all(Array.from({ length: 10 }, (_, i) =>
    post('/auth/register', { username: i % 2 ? username : username.toUpperCase(), password: 'password123' })))
  const codes = responses.map((response) => response.statusCode).sort()
  t.same(codes, [201, ...Array(9).fill(409)])
})

t.test('invalid usernames and passwords are 400 naming the field', async (t) => {
  const cases: Array<[string, unknown, RegExp]> = [
    ['too short', { username: 'ab', password: 'password123' }, /username/],
    ['too long', { username: 'a'.repeat(31), password: 'password123' }, /username/],
    ['bad characters', { username: 'bad name!', password: 'password123' }, /username/],
    ['unicode', { username: 'ålice', password: 'password123' }, /username/],
    ['not a string', { username: 123456, password: 'password123' }, /username/],
    ['missing username', { password: 'password123' }, /username/],
    ['short password', { username: uniqueName(), password: 'short' }, /password/],
    ['long password', { username: uniqueName(), password: 'p'.repeat(129) }, /password/],
    ['missing password', { username: uniqueName() }, /password/],
    ['not an object', [1, 2], /body/],
  ]
  for (const [name, payload, field] of cases) {
    for (const url of ['/auth/register', '/auth/login']) {
      const response = await post(url, payload)
      t.equal(response.statusCode, 400, `${url} ${name}`)
      t.equal(response.json().code, 'FST_ERR_VALIDATION')
      t.match(response.json().message, field)
    }
  }
  t.equal((await post('/auth/register', { username: 'a.b_c', password: 'p'.repeat(128) })).statusCode, 201, 'limits are inclusive')
  t.equal((await post('/auth/register', { username: 'abc', password: 'p'.repeat(8) })).statusCode, 201)
})

t.test('login answers user, token and expiresIn', async (t) => {
  const user = await register(app, uniqueName('Carol'))
  const response = await post('/auth/login', { username: user.username.toUpperCase(), password: user.password })
  t.equal(response.statusCode, 200)
  const body = response.json()
  t.equal(body.user.id, user.id)
  t.equal(body.user.username, user.username)
  t.equal(body.expiresIn, 86400)
  const claims = JSON.parse(Buffer.from(body.token.split('.')[1], 'base64url').toString())
  t.equal(claims.sub, String(user.id))
  t.equal(claims.exp - claims.iat, 86400)
  const header = JSON.parse(Buffer.from(body.token.split('.')[0], 'base64url').toString())
  t.equal(header.alg, 'HS256')
})

t.test('unknown user and wrong password get the same 401', async (t) => {
  const user = await register(app)
  const wrong = await post('/auth/login', { username: user.username, password: 'wrong-password' })
  const unknown = await post('/auth/login', { username: uniqueName('ghost'), password: 'wrong-password' })
  t.equal(wrong.statusCode, 401)
  t.same(wrong.json(), unknown.json())
  t.same(wrong.json(), { statusCode: 401, code: 'INVALID_CREDENTIALS', error: 'Unauthorized', message: 'username or password is wrong' })
})

t.test('unknown user and wrong password take about the same time', async (t) => {
  const user = await register(app)
  const time = async (username: string) => {
    const start = process.hrtime.bigint()
    await post('/auth/login', { username, password: 'wrong-password' })
    return Number(process.hrtime.bigint() - start) / 1e6
  }
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] as number
  const wrong: number[] = []
  const unknown: number[] = []
  for (let i = 0; i < 9; i++) {
    wrong.push(await time(user.username))
    unknown.push(await time(uniqueName('nobody')))
  }
  // Both run one argon2id verification; without the stand-in hash an unknown user answers in
  // well under a tenth of the time. The bound is loose because other tests share the CPU.
  t.ok(median(unknown) > median(wrong) * 0.3, `unknown ${median(unknown).toFixed(1)} ms vs wrong ${median(wrong).toFixed(1)} ms`)
})
