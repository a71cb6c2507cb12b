import t from 'tap'
import { buildTestApp, register } from './helper.js'

/**
 * JSON routes take JSON and nothing else (415 for any other content type, as the README
 * promises), and exactly the fields the OpenAPI document lists (400 for any other, as its
 * additionalProperties: false says, so the document, prism and the server agree).
 */
const app = await buildTestApp(t)
const [alice, bob] = [await register(app), await register(app)]

const jsonRoutes = [
  { url: '/auth/register', body: { username: 'bodies_new', password: 'password123' } },
  { url: '/auth/login', body: { username: alice.username, password: alice.password } },
  { url: '/users/follow', body: { userId: bob.id }, headers: alice.auth },
  { url: '/users/unfollow', body: { userId: bob.id }, headers: alice.auth },
]

t.test('a JSON route answers 415 UNSUPPORTED_MEDIA_TYPE to every other content type', async (t) => {
  const otherTypes = ['text/plain', 'text/plain; charset=utf-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/octet-stream', 'text/json']
  for (const { url, body, headers } of jsonRoutes) {
    for (const contentType of otherTypes) {
      const response = await app.inject({ method: 'POST', url, payload: JSON.stringify(body), headers: { ...headers, 'content-type': contentType } })
      t.equal(response.statusCode, 415, `${url} as ${contentType}: 415`)
      t.match(response.json(), { statusCode: 415, code: 'UNSUPPORTED_MEDIA_TYPE', error: 'Unsupported Media Type', message: /application\/json/ }, `${url} as ${contentType}: says what to send`)
    }
  }
  const charset = await app.inject({ method: 'POST', url: '/auth/login', payload: JSON.stringify(jsonRoutes[1]!.body), headers: { 'content-type': 'application/json; charset=utf-8' } })
  t.equal(charset.statusCode, 200, 'application/json with a charset is JSON')
})

t.test('an unknown body field is a 400 naming it, on every JSON route', async (t) => {
  for (const { url, body, headers } of jsonRoutes) {
    const response = await app.inject({ method: 'POST', url, payload: { ...body, extraField: 1 }, headers })
    t.equal(response.statusCode, 400, `${url}: 400`)
    t.match(response.json(), { code: 'FST_ERR_VALIDATION', message: /extraField/ }, `${url}: names the field`)
  }
  const fine = await app.inject({ method: 'POST', url: '/users/follow', payload: { userId: bob.id }, headers: alice.auth })
  t.equal(fine.statusCode, 200, 'the listed fields alone are fine')
})

t.test('the OpenAPI document says so for every JSON request body', async (t) => {
  const document = (await app.inject({ url: '/docs/json' })).json() as {
    paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { $ref?: string, additionalProperties?: unknown } }> } }>>
    components: { schemas: Record<string, { additionalProperties?: unknown }> }
  }
  let bodies = 0
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      const schema = operation.requestBody?.content['application/json']?.schema
      if (!schema) continue
      bodies++
      const resolved = schema.$ref ? document.components.schemas[schema.$ref.split('/').pop()!] : schema
      t.equal(resolved?.additionalProperties, false, `${method.toUpperCase()} ${path}: additionalProperties false`)
    }
  }
  t.ok(bodies >= 4, `${bodies} JSON request bodies checked`)
})
