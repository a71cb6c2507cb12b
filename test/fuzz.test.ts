import { STATUS_CODES } from 'node:http'
import t from 'tap'
import fc from 'fast-check'
import { sessions } from '../src/db/schema.js'
import { signedToken } from './forged-token.js'
import { buildTestApp, register } from './helper.js'
import { checkAnswer, holds, hostileValue, jsonText, safeEncode, type Operation, type ParameterSchema } from './fuzz-arbitraries.js'

/**
 * Malformed and boundary requests for every operation of the served OpenAPI document, with and
 * without a valid token: every answer is below 500, and a 4xx has exactly the contract's error
 * shape. FUZZ_RUNS sets the runs per operation (`npm run fuzz` runs many more); FUZZ_SEED
 * replays a failure.
 */
const runs = Number(process.env.FUZZ_RUNS ?? 90)
const seed = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED)

const app = await buildTestApp(t, { CHAT_RATE_LIMIT: '0' })
const [alice, bob, carol] = [await register(app), await register(app), await register(app)]
// Operations that end sessions (or the account) get a session of their own, of a user of their own,
// in place of alice's token: ending alice's would leave the rest of the run with 401s only.
const dave = await register(app)
const endsSessions = new Set(['logout', 'endSession', 'endOtherSessions', 'changePassword', 'deleteAccount'])
async function throwawaySession() {
  const [row] = await app.database.db.insert(sessions).values({ id: crypto.randomUUID(), userId: dave.id, userAgent: 'fuzz' }).returning({ id: sessions.id })
  return app.signToken(dave.id, row!.id)
}
for (const [from, to] of [[alice, bob], [bob, alice], [carol, alice]] as const) {
  await app.inject({ method: 'PUT', url: `/users/${to.id}/follow`, headers: from.auth })
}

/** Real cursors, handed out by real lists, for mutating into bad ones. */
async function cursorOf(url: string, auth: Record<string, string>) {
  const response = await app.inject({ url, headers: auth })
  return (response.json() as { nextCursor?: string | null }).nextCursor ?? undefined
}
const realCursors = (await Promise.all([
  cursorOf('/users?limit=1', alice.auth),
  cursorOf(`/users/${alice.id}/followers?limit=1`, alice.auth),
  cursorOf(`/users/${alice.id}/following?limit=1`, bob.auth),
])).filter((cursor): cursor is string => cursor !== undefined)

await app.ready()
const document = app.swagger() as unknown as { paths: Record<string, Record<string, Operation>> }
const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, operation]) => ({ ...operation, path, method: method.toUpperCase() })))

const ids = [alice.id, bob.id, carol.id]
const cursorValue = fc.oneof(
  fc.constantFrom(...realCursors),
  fc.constantFrom(...realCursors).chain((cursor) => fc.oneof(
    fc.nat({ max: cursor.length - 1 }).map((i) => `${cursor.slice(0, i)}${cursor[i] === 'A' ? 'B' : 'A'}${cursor.slice(i + 1)}`),
    fc.constant(`${cursor}.x`),
    fc.constant(cursor.split('.')[0] ?? ''),
    fc.constant(cursor.split('.').reverse().join('.')),
  )),
  fc.jsonValue({ maxDepth: 2 }).map((value) => `${Buffer.from(JSON.stringify(value) ?? '').toString('base64url')}.${'A'.repeat(22)}`),
  fc.string({ maxLength: 600 }),
)

/** A value for one parameter: sometimes a good one, mostly not. */
function parameterValue(name: string, schema: ParameterSchema): fc.Arbitrary<string> {
  if (name === 'cursor') return cursorValue
  if (schema.type === 'integer') {
    return fc.oneof(
      fc.constantFrom(...ids).map(String),
      fc.constantFrom('0', '-1', '1e23', '9007199254740991', '9007199254740992', '99999999999999999999999', '1.5', '0x10', ' 1', '1 ', '+1', '١', 'NaN', 'Infinity', '', '[]', 'true', 'null'),
      fc.integer().map(String),
      fc.double().map(String),
      hostileValue.map((value) => (typeof value === 'string' ? value : JSON.stringify(value) ?? '')),
    )
  }
  return fc.oneof(
    fc.stringMatching(new RegExp(schema.pattern ?? '^[A-Za-z0-9_.]{1,30}$')),
    fc.string({ unit: 'grapheme', maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.constantFrom('../../../../etc/passwd', '..%2f..%2fsecret.webp', 'a.webp%00.png', '%', '%zz', '%C0%AE', "'; drop table users; --", '__proto__', '_%', '\\'),
    fc.nat({ max: 8000 }).map((n) => 'x'.repeat(n)),
  )
}

const token = fc.oneof(
  fc.constant(alice.token),
  fc.constant(undefined),
  fc.constantFrom('Bearer', 'Bearer ', 'Basic YWxpY2U6cGFzc3dvcmQ=', `Bearer ${alice.token} extra`, `bearer   ${alice.token}`, 'Bearer a.b.c', `Bearer ${alice.token.slice(0, -2)}`),
  fc.record({
    sub: fc.oneof(fc.constantFrom(String(alice.id), '0', '-1', '9007199254740993', '1e3', ''), fc.integer(), hostileValue),
    exp: fc.oneof(fc.constant(Math.floor(Date.now() / 1000) + 3600), fc.integer(), fc.constant('soon')),
  }, { requiredKeys: [] }).map((claims) => `Bearer ${signedToken(claims)}`),
).map((value) => (value === alice.token ? `Bearer ${alice.token}` : value))

const contentTypes = fc.oneof(
  fc.constantFrom('application/json', 'application/json; charset=utf-8', 'application/json; charset=latin1', 'text/plain',
    'application/x-www-form-urlencoded', 'multipart/form-data; boundary=fuzz', 'multipart/form-data', 'application/octet-stream',
    'image/png', 'application/vnd.api+json', 'APPLICATION/JSON', 'json', '*/*', ';;;'),
  fc.constant(undefined),
)

/** A body built from the operation's own schema (fields dropped, mistyped, huge, extra), then maybe broken. */
function bodyFor(operation: Operation): fc.Arbitrary<string | Buffer | undefined> {
  const schema = operation.requestBody?.content?.['application/json']?.schema
  const fields = Object.entries(schema?.properties ?? {})
  const object = fc.tuple(
    ...fields.map(([name, field]) => fc.option(fc.oneof(
      field.type === 'integer' ? fc.constantFrom(...ids) : fc.stringMatching(/^[A-Za-z0-9_.]{3,30}$/),
      hostileValue,
    ).map((value) => [name, value] as const), { nil: undefined })),
    fc.dictionary(fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom('__proto__', 'constructor', 'prototype')), hostileValue, { maxKeys: 3 }),
  ).map(([...parts]) => {
    const extra = parts.pop() as Record<string, unknown>
    const body: Record<string, unknown> = { ...extra }
    for (const part of parts as Array<readonly [string, unknown] | undefined>) if (part) body[part[0]] = part[1]
    return JSON.stringify(body)
  })
  return fc.oneof(
    { weight: 4, arbitrary: object },
    { weight: 2, arbitrary: jsonText },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)) },
    { weight: 1, arbitrary: fc.constant(undefined) },
  )
}

t.test('every operation of the OpenAPI document answers hostile requests below 500, in the error shape', async (t) => {
  t.ok(operations.length >= 20, `${operations.length} operations in the document`)
  let cases = 0
  for (const operation of operations) {
    const parameters = operation.parameters ?? []
    const request = fc.record({
      path: fc.tuple(...parameters.filter((p) => p.in === 'path').map((p) => parameterValue(p.name, p.schema).map((value) => [p.name, value] as const)), fc.constant(undefined)),
      query: fc.tuple(
        ...parameters.filter((p) => p.in === 'query').map((p) => fc.option(parameterValue(p.name, p.schema), { nil: undefined }).map((value) => [p.name, value] as const)),
        fc.array(fc.tuple(fc.constantFrom('limit', 'cursor', 'extra', 'token', '__proto__', 'search[]'), fc.string({ maxLength: 20 })), { maxLength: 2 }),
      ),
      authorization: token,
      contentType: contentTypes,
      body: bodyFor(operation),
      method: fc.oneof({ weight: 9, arbitrary: fc.constant(operation.method) }, { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD') }),
    })
    await holds(t, fc.asyncProperty(request, async ({ path, query, authorization, contentType, body, method }) => {
      cases++
      let url = operation.path
      for (const part of path) if (part) url = url.replace(`{${part[0]}}`, safeEncode(part[1]))
      const extras = query.pop() as Array<[string, string]>
      const pairs = [...(query as Array<readonly [string, string | undefined]>), ...extras]
        .filter((pair): pair is [string, string] => pair[1] !== undefined)
      if (pairs.length > 0) url += `?${pairs.map(([name, value]) => `${name}=${safeEncode(value)}`).join('&')}`
      const headers: Record<string, string> = {}
      if (authorization !== undefined) {
        headers.authorization = endsSessions.has(operation.operationId ?? '') && authorization.includes(alice.token)
          ? authorization.replace(alice.token, await throwawaySession())
          : authorization
      }
      if (contentType !== undefined && body !== undefined) headers['content-type'] = contentType
      const response = await app.inject({ method: method as 'GET', url, headers, ...(body !== undefined && method !== 'GET' && method !== 'HEAD' && { payload: body }) })
      checkAnswer(response, `${method} ${url}`)
    }), { numRuns: runs, seed })
  }
  t.pass(`${cases} requests across ${operations.length} operations`)
  t.equal((await app.inject({ url: '/users/me', headers: alice.auth })).statusCode, 200, 'the app still serves')
})

t.test('requests to no operation at all: random methods, paths and headers', async (t) => {
  let cases = 0
  await holds(t, fc.asyncProperty(
    fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'),
    fc.array(fc.oneof(fc.constantFrom('users', 'me', 'auth', 'images', 'chat', 'docs', '..', '.', '%2e%2e', '', String(alice.id)), fc.string({ maxLength: 12 }).map(safeEncode)), { maxLength: 6 }),
    fc.dictionary(fc.constantFrom('accept', 'accept-encoding', 'origin', 'if-none-match', 'range', 'x-forwarded-for', 'content-length', 'transfer-encoding', 'expect'), fc.stringMatching(/^[\x20-\x7e]{0,40}$/), { maxKeys: 3 }),
    async (method, segments, headers) => {
      cases++
      const url = `/${segments.join('/')}`
      let response
      try {
        response = await app.inject({ method: method as 'GET', url, headers: { ...headers, authorization: `Bearer ${alice.token}` } })
      } catch (error) {
        // light-my-request refuses some header combinations itself; the server never saw them.
        if ((error as Error).message.includes('Invalid') || (error as NodeJS.ErrnoException).code?.startsWith('ERR_')) return
        throw error
      }
      checkAnswer(response, `${method} ${url} ${JSON.stringify(headers)}`)
    },
  ), { numRuns: runs * 3, seed })
  t.pass(`${cases} requests`)
})

t.test('the error reason phrases are the HTTP ones', async (t) => {
  const response = await app.inject({ url: '/users/abc', headers: alice.auth })
  t.same(Object.keys(response.json()).sort(), ['code', 'error', 'message', 'statusCode'])
  t.equal(response.json().error, STATUS_CODES[400])
})
