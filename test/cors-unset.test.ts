import t from 'tap'
import { buildTestApp, register } from './helper.js'

// Without ALLOWED_ORIGINS a front end on another origin (a Vite dev server) got a bare
// "404 route OPTIONS /auth/login not found" for its preflight, which says nothing of the fix.
const app = await buildTestApp(t)

t.test('a CORS preflight while ALLOWED_ORIGINS is unset says what to set', async (t) => {
  const response = await app.inject({
    method: 'OPTIONS', url: '/auth/login',
    headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
  })
  t.equal(response.statusCode, 403)
  t.same(response.json(), {
    statusCode: 403, code: 'ORIGIN_NOT_ALLOWED', error: 'Forbidden',
    message: "origin 'http://localhost:5173' may not call this API from a browser: ALLOWED_ORIGINS is unset; start the server with ALLOWED_ORIGINS=http://localhost:5173",
  })
  t.notOk(response.headers['access-control-allow-origin'], 'and grants nothing')
})

t.test('requests that are not preflights are served as before', async (t) => {
  const user = await register(app)
  const me = await app.inject({ url: '/users/me', headers: { ...user.auth, origin: 'http://localhost:5173' } })
  t.equal(me.statusCode, 200, 'a request with an Origin is answered (the browser withholds it from the page)')
  t.notOk(me.headers['access-control-allow-origin'])
  const bareOptions = await app.inject({ method: 'OPTIONS', url: '/auth/login' })
  t.equal(bareOptions.statusCode, 404, 'an OPTIONS without Origin is no preflight')
})
