import t from 'tap'
import { buildTestApp, register } from './helper.js'

// "\ud800abcdefgh" and "\udfffabcdefgh" were the same password: argon2 hashed each unpaired
// surrogate as U+FFFD. Passwords and usernames holding one are refused where they enter.

const app = await buildTestApp(t)
const base = await app.listen({ port: 0, host: '127.0.0.1' })

/** The body is JSON text with the escape written out, as a hand-written client would send it. */
const post = async (path: string, json: string) => {
  const response = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: json })
  return { status: response.status, body: await response.json() as { code?: string, message?: string } }
}

t.test('a password or username with an unpaired surrogate is 400, at registration and at login', async (t) => {
  const user = await register(app)
  for (const path of ['/auth/register', '/auth/login']) {
    for (const escape of ['\\ud800', '\\udfff', '\\ud83d']) {
      const password = await post(path, `{"username":"${user.username}","password":"${escape}abcdefgh"}`)
      t.equal(password.status, 400, `${path} password ${escape}`)
      t.equal(password.body.code, 'FST_ERR_VALIDATION')
      t.match(password.body.message, /password.*unpaired surrogate/)
      const username = await post(path, `{"username":"ab${escape}cd","password":"password123"}`)
      t.equal(username.status, 400, `${path} username ${escape}`)
      t.match(username.body.message, /username/)
    }
  }
  t.equal((await post('/auth/login', JSON.stringify({ username: user.username, password: user.password }))).status, 200, 'the account is untouched')
})

t.test('two passwords that differ only in their surrogates stay two passwords', async (t) => {
  const paired = await post('/auth/register', `{"username":"pair_${process.pid}","password":"\\ud83d\\ude00abcdefgh"}`)
  t.equal(paired.status, 201, 'a well-formed pair (an emoji) is a password like any other')
  const other = await post('/auth/login', `{"username":"pair_${process.pid}","password":"\\ud83d\\ude01abcdefgh"}`)
  t.equal(other.status, 401, 'another emoji is another password')
  t.equal((await post('/auth/login', `{"username":"pair_${process.pid}","password":"\\udfffabcdefgh"}`)).status, 400)
})
