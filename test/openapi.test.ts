import { readFileSync } from 'node:fs'
import SwaggerParser from '@apidevtools/swagger-parser'
import t from 'tap'
import { clientTypes, clientTypesPath, documentPath } from '../scripts/openapi.js'
import { buildTestApp } from './helper.js'

interface Operation {
  operationId?: string
  summary?: string
  tags?: string[]
  security?: Array<Record<string, string[]>>
  parameters?: Array<{ in: string, name: string }>
  requestBody?: unknown
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>
}
type Document = { paths: Record<string, Record<string, Operation>> }

const app = await buildTestApp(t)
const served = (await app.inject({ url: '/docs/json' })).json() as Document
const committed = readFileSync(documentPath, 'utf8')
const hint = 'run `npm run openapi` and commit openapi.json and test/client/schema.d.ts'

const operations = Object.entries(served.paths).flatMap(([path, item]) =>
  Object.entries(item).map(([method, operation]) => ({ name: `${method.toUpperCase()} ${path}`, path, operation })))

t.test('the committed openapi.json is the document the server serves', async (t) => {
  t.equal(`${JSON.stringify(served, null, 2)}\n`, committed, `openapi.json is out of date: ${hint}`)
})

t.test('the committed client types are generated from that document', async (t) => {
  t.equal(await clientTypes(committed), readFileSync(clientTypesPath, 'utf8'), `test/client/schema.d.ts is out of date: ${hint}`)
})

t.test('the document passes an OpenAPI validator', async (t) => {
  await t.resolves(SwaggerParser.validate(structuredClone(served) as never), 'swagger-parser finds no error')
})

// /metrics takes no user's token: METRICS_TOKEN, or none from the loopback address.
const publicOperations = new Set(['register', 'login', 'health', 'ready', 'getImage', 'metrics'])
// Their routes read no database: the process answers them whatever the database does.
const withoutDatabase = new Set(['health', 'getImage', 'metrics'])

t.test('every operation is named, summarised, tagged, secured and lists its errors', async (t) => {
  const operationIds = new Set<string>()
  for (const { name, operation } of operations) {
    const id = operation.operationId
    t.type(id, 'string', `${name} has an operationId`)
    if (id === undefined) continue
    t.notOk(operationIds.has(id), `${name}: operationId ${id} is unique`)
    operationIds.add(id)
    t.ok(operation.summary, `${name} has a summary`)
    t.ok(operation.tags?.length, `${name} has tags`)

    const codes = Object.keys(operation.responses)
    const documents = (code: string) => t.ok(codes.includes(code), `${name} documents ${code}`)
    t.ok(codes.some((code) => code.startsWith('2')), `${name} documents its success`)
    documents('500')
    if (!withoutDatabase.has(id)) documents('503')
    if (publicOperations.has(id)) {
      t.notOk(operation.security?.some((requirement) => 'bearerAuth' in requirement), `${name} is public`)
    } else {
      t.same(operation.security, [{ bearerAuth: [] }], `${name} needs a bearer token`)
      documents('401')
    }
    // A malformed image name is an unknown image (404), by design; everywhere else bad input is a 400.
    if ((operation.parameters?.length || operation.requestBody) && id !== 'getImage') documents('400')
    if (operation.requestBody) {
      documents('413')
      documents('415')
    }
    if (operation.parameters?.some((parameter) => parameter.in === 'path' && /^(id|userId)$/.test(parameter.name))) documents('404')
    for (const code of codes.filter((code) => Number(code) >= 400)) {
      t.equal(operation.responses[code]?.content?.['application/json']?.schema?.$ref, '#/components/schemas/Error', `${name} ${code} has the Error shape`)
    }
  }
})

/** Method and path of every route, read from Fastify's route tree (find-my-way's pretty print). */
function registeredRoutes(tree: string): Set<string> {
  const routes = new Set<string>()
  const segments: string[] = []
  for (const line of tree.split('\n')) {
    const branch = line.indexOf('── ')
    if (branch < 0) continue
    const depth = (branch - 1) / 4
    const [, segment = '', methods = ''] = /^(.*?)(?: \(([A-Z, ]+)\))?$/.exec(line.slice(branch + 3)) ?? []
    segments.length = depth
    segments.push(segment)
    for (const method of methods.split(', ').filter((method) => method && method !== 'HEAD' && method !== 'OPTIONS')) {
      routes.add(`${method} ${segments.join('').replace(/(.)\/$/, '$1')}`)
    }
  }
  return routes
}

// Routes that are not HTTP API operations: WebSocket endpoints (docs/chat.md), the page, the docs.
const undocumented = [/^GET \/$/, /^GET \/chat$/, /^GET \/app\.(js|css)$/, /^GET \/docs(\/.*)?$/]

t.test('every route but the WebSocket endpoints, the page and the docs is in the document', async (t) => {
  const documented = new Set(operations.map(({ name }) => name.replace(/\{(\w+)\}/g, ':$1').replace(/(.)\/$/, '$1')))
  const registered = [...registeredRoutes(app.printRoutes({ commonPrefix: false }))]
  t.ok(registered.length >= documented.size, 'the route tree was read')
  for (const route of registered) {
    if (undocumented.some((pattern) => pattern.test(route))) continue
    t.ok(documented.has(route), `${route} is documented`)
  }
  for (const name of documented) t.ok(registered.includes(name), `${name} is a route`)
})
