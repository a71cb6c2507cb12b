import t from 'tap'
import { buildTestApp, register } from './helper.js'

// A black-box review found one user answering to many spellings of its id.
const app = await buildTestApp(t)
const user = await register(app)
const other = await register(app)

t.test('only the canonical decimal spelling of an id names a user', async (t) => {
  t.equal((await app.inject({ url: `/users/${other.id}`, headers: user.auth })).statusCode, 200, 'the id itself works')
  const id = other.id
  const aliases = [`0x${id.toString(16)}`, `0b${id.toString(2)}`, `0o${id.toString(8)}`, `${id}e0`, `+${id}`, `0${id}`, `${id}.0`, `%20${id}`, `${id}%20`, `%09${id}`]
  for (const alias of aliases) {
    for (const url of [`/users/${alias}`, `/users/${alias}/followers`, `/users/${alias}/relationship`]) {
      const response = await app.inject({ url, headers: user.auth })
      t.equal(response.statusCode, 400, url)
      t.equal(response.json().code, 'FST_ERR_VALIDATION', url)
    }
  }
  for (const bad of ['abc', '0', '-1', '1e23']) {
    t.equal((await app.inject({ url: `/users/${bad}`, headers: user.auth })).statusCode, 400, `still 400: ${bad}`)
  }
})

t.test('limits are canonical decimal integers too', async (t) => {
  t.equal((await app.inject({ url: `/users/${user.id}/followers?limit=16`, headers: user.auth })).statusCode, 200)
  for (const limit of ['0x10', '1e1', '+16', '016', '16.0', '%2016']) {
    const response = await app.inject({ url: `/users/${user.id}/followers?limit=${limit}`, headers: user.auth })
    t.equal(response.statusCode, 400, `limit=${limit}`)
    t.equal(response.json().code, 'FST_ERR_VALIDATION')
  }
  t.equal((await app.inject({ url: '/users?limit=0x10', headers: user.auth })).statusCode, 400, 'the directory too')
  t.equal((await app.inject({ url: '/messages/sync?after=0x10', headers: user.auth })).statusCode, 400, 'and sync positions')
})

t.test('the legacy routes take canonical ids only', async (t) => {
  const response = await app.inject({ url: `/users/getAlFollowers?userId=0x${other.id.toString(16)}`, headers: user.auth })
  t.equal(response.statusCode, 400, response.body)
})
