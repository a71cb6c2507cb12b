import t from 'tap'
import WebSocket from 'ws'
import { buildTestApp, register } from './helper.js'

// Two look-alikes the review found: a cursor whose signature differed only in the unused bits
// of its last base64 character was accepted, and a PNG signature with nothing (or garbage)
// after it answered 415 where the docs say 400 INVALID_IMAGE.

const app = await buildTestApp(t)
const base = await app.listen({ port: 0, host: '127.0.0.1' })
const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

t.test('a cursor signature is compared as the text handed out', async (t) => {
  const followee = await register(app)
  for (let i = 0; i < 3; i++) {
    const follower = await register(app)
    await app.inject({ method: 'PUT', url: `/users/${followee.id}/follow`, headers: follower.auth })
  }
  const page = await (await fetch(`${base}/users/${followee.id}/followers?limit=1`, { headers: followee.auth })).json() as { nextCursor: string }
  const get = (cursor: string) => fetch(`${base}/users/${followee.id}/followers?limit=1&cursor=${encodeURIComponent(cursor)}`, { headers: followee.auth })
  t.equal((await get(page.nextCursor)).status, 200)
  const last = page.nextCursor.at(-1)!
  // 16 bytes are 22 characters of which the last carries 2 bits: the other 4 are unused.
  const alias = page.nextCursor.slice(0, -1) + alphabet[alphabet.indexOf(last) ^ 1]
  const refused = await get(alias)
  t.equal(refused.status, 400)
  t.equal((await refused.json() as { code: string }).code, 'INVALID_CURSOR')
})

t.test('a PNG signature with nothing or garbage after it is 400 INVALID_IMAGE', async (t) => {
  const user = await register(app)
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  for (const [name, bytes] of [['bare signature', signature], ['garbage after it', Buffer.concat([signature, Buffer.from('garbage that is no IHDR chunk at all')])]] as const) {
    const form = new FormData()
    form.append('profilePicture', new Blob([bytes], { type: 'image/png' }), 'me.png')
    const response = await fetch(`${base}/users/me/profile-picture`, { method: 'PUT', headers: user.auth, body: form })
    t.equal(response.status, 400, name)
    t.equal((await response.json() as { code: string }).code, 'INVALID_IMAGE', name)
  }
})

t.test('with PUBLIC_ORIGIN the chat Origin check ignores Host', async (t) => {
  const pinned = await buildTestApp(t, { PUBLIC_ORIGIN: 'https://api.example.com' })
  const url = (await pinned.listen({ port: 0, host: '127.0.0.1' })).replace('http', 'ws')
  const user = await register(pinned)
  const upgrade = (host: string, origin: string) => new Promise<number>((resolve, reject) => {
    const socket = new WebSocket(`${url}/chat`, { headers: { host, origin, authorization: `Bearer ${user.token}` } })
    socket.on('open', () => { socket.terminate(); resolve(101) })
    socket.on('unexpected-response', (_request, response) => { response.resume(); resolve(response.statusCode ?? 0) })
    socket.on('error', reject)
  })
  t.equal(await upgrade('attacker.example:3000', 'http://attacker.example:3000'), 403, 'a rebound name whose Host and Origin agree')
  t.equal(await upgrade('api.example.com', 'https://api.example.com'), 101, 'the public origin passes')
})
