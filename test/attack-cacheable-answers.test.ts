import t from 'tap'
import { buildTestApp, register } from './helper.js'
import { imageOf, picturePart, upload } from './picture-fixtures.js'

// Answers holding a token, or shown only to the holder of one, must not be kept by caches.
const app = await buildTestApp(t)
const user = await register(app)

t.test('/auth answers are no-store', async (t) => {
  const registered = await app.inject({ method: 'POST', url: '/auth/register', payload: { username: 'cache_probe', password: 'password123' } })
  t.equal(registered.statusCode, 201)
  t.equal(registered.headers['cache-control'], 'no-store')
  const login = await app.inject({ method: 'POST', url: '/auth/login', payload: { username: 'cache_probe', password: 'password123' } })
  t.equal(login.headers['cache-control'], 'no-store')
  const failed = await app.inject({ method: 'POST', url: '/auth/login', payload: { username: 'cache_probe', password: 'wrong-password' } })
  t.equal(failed.headers['cache-control'], 'no-store', 'errors too')
})

t.test('every answer to a request with Authorization is no-store', async (t) => {
  for (const url of ['/users/me', `/users/${user.id}`, '/users', `/users/${user.id}/followers`, '/users/999999', '/nowhere', '/health']) {
    const response = await app.inject({ url, headers: user.auth })
    t.equal(response.headers['cache-control'], 'no-store', url)
  }
  const followed = await app.inject({ method: 'PUT', url: `/users/${user.id}/follow`, headers: user.auth })
  t.equal(followed.headers['cache-control'], 'no-store')
})

t.test('pictures stay cacheable forever', async (t) => {
  const uploaded = await upload(app, user.auth, [picturePart(await imageOf('png'), 'me.png', 'image/png')])
  t.equal(uploaded.statusCode, 200, uploaded.body)
  const url = new URL(uploaded.json().profilePictureUrl as string, 'http://x').pathname
  const image = await app.inject({ url, headers: user.auth })
  t.equal(image.statusCode, 200)
  t.match(image.headers['cache-control'], /immutable/)
})
