import { Type } from '@sinclair/typebox'
import t from 'tap'
import { UserSchema } from '../src/features/users/schemas.js'
import { buildTestApp } from './helper.js'

const alice = { id: 1, username: 'alice', profilePictureUrl: null, createdAt: '2026-01-01T00:00:00.000Z' }

t.test('a request body may refer to a shared schema by its $id', async (t) => {
  const app = await buildTestApp(t)
  app.post('/echo-user', { schema: { body: Type.Ref(UserSchema) } }, async (request) => request.body)
  await app.ready()

  const valid = await app.inject({ method: 'POST', url: '/echo-user', payload: alice })
  t.equal(valid.statusCode, 200)
  t.same(valid.json(), alice)

  const invalid = await app.inject({ method: 'POST', url: '/echo-user', payload: { ...alice, username: 'no spaces allowed' } })
  t.equal(invalid.statusCode, 400, 'the shared schema is what validates the body')
})

t.test('so may a query string, coerced as query strings are', async (t) => {
  const app = await buildTestApp(t)
  app.addSchema(Type.Object({ n: Type.Integer({ minimum: 1 }) }, { $id: 'Counted' }))
  app.get('/counted', { schema: { querystring: Type.Ref('Counted') } }, async (request) => request.query)
  await app.ready()

  t.same((await app.inject({ url: '/counted?n=3' })).json(), { n: 3 })
  t.equal((await app.inject({ url: '/counted?n=0' })).statusCode, 400)
})
