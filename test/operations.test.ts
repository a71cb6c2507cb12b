import t from 'tap'
import { buildTestApp } from './helper.js'

const app = await buildTestApp(t)

t.test('health and readiness', async (t) => {
  const health = await app.inject({ url: '/health' })
  t.equal(health.statusCode, 200)
  t.same(health.json(), { status: 'ok' })
  const ready = await app.inject({ url: '/ready' })
  t.equal(ready.statusCode, 200)
  t.same(ready.json(), { status: 'ok' })
})

t.test('/ready is 503 when the database does not answer', async (t) => {
  const broken = await buildTestApp(t)
  await broken.database.close()
  const ready = await broken.inject({ url: '/ready' })
  t.equal(ready.statusCode, 503)
  t.same(ready.json(), { statusCode: 503, code: 'SERVICE_UNAVAILABLE', error: 'Service Unavailable', message: 'the database is not answering' })
  t.equal((await broken.inject({ url: '/health' })).statusCode, 200, 'the process itself is alive')
})

t.test('Swagger UI is served at /docs', async (t) => {
  const page = await app.inject({ url: '/docs' })
  t.equal(page.statusCode, 200)
  t.match(page.headers['content-type'], /text\/html/)
  t.match(page.body, /swagger/i)
})

t.test('the OpenAPI document describes every route completely', async (t) => {
  const response = await app.inject({ url: '/docs/json' })
  t.equal(response.statusCode, 200)
  const document = response.json()
  t.match(document.openapi, /^3\./)
  t.same(document.components.securitySchemes.bearerAuth, { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
  t.ok(document.components.schemas.Error, 'the error shape is a named schema')
  const operationIds = new Set<string>()
  const publicRoutes = new Set(['POST /auth/register', 'POST /auth/login', 'GET /health', 'GET /ready'])
  for (const [path, item] of Object.entries<Record<string, Record<string, unknown>>>(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      const name = `${method.toUpperCase()} ${path}`
      if (path.startsWith('/images/')) continue
      t.type(operation.operationId, 'string', `${name} has an operationId`)
      t.notOk(operationIds.has(operation.operationId as string), `${name} operationId is unique`)
      operationIds.add(operation.operationId as string)
      t.ok((operation.tags as string[] | undefined)?.length, `${name} has tags`)
      t.type(operation.summary, 'string', `${name} has a summary`)
      const responses = operation.responses as Record<string, unknown>
      t.ok(Object.keys(responses).some((code) => code.startsWith('2')), `${name} documents its success`)
      t.ok(responses['500'], `${name} documents 500`)
      if (publicRoutes.has(name)) {
        t.same(operation.security, [], `${name} is public, and says so`)
      } else if (name === 'GET /metrics') {
        t.same(operation.security, [{}, { metricsToken: [] }], `${name} takes METRICS_TOKEN, or none from the loopback address`)
      } else {
        t.same(operation.security, [{ bearerAuth: [] }], `${name} needs a bearer token`)
        t.ok(responses['401'], `${name} documents 401`)
      }
    }
  }
  for (const expected of ['register', 'login', 'getMe', 'getUser', 'listUsers', 'health', 'ready', 'followUser', 'unfollowUser', 'getRelationship', 'listFollowers', 'listFollowing', 'legacyFollow', 'legacyUnfollow', 'legacyListFollowers', 'legacyListFollowing']) {
    t.ok(operationIds.has(expected), `${expected} is documented`)
  }
  t.equal(document.paths['/users/follow'].post.deprecated, true, 'legacy routes are deprecated')
})
