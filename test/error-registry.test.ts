import { readFileSync } from 'node:fs'
import { STATUS_CODES } from 'node:http'
import t from 'tap'
import { documentPath } from '../scripts/openapi.js'
import { errorCodes, type ErrorCode } from '../src/errors.js'
import { toErrorBody } from '../src/plugins/errors.js'

interface Example { value: { statusCode: number, code: string, error: string, message: string } }
interface Response { content?: Record<string, { schema?: { $ref?: string }, examples?: Record<string, Example> }>, headers?: Record<string, unknown> }
interface Document {
  components: { schemas: { Error: { properties: { code: { enum: string[] } } } } }
  paths: Record<string, Record<string, { responses: Record<string, Response> }>>
}

const document = JSON.parse(readFileSync(documentPath, 'utf8')) as Document
const registry = Object.keys(errorCodes).sort()

/** The codes of README's error table: the first column of the rows under "### Errors". */
function readmeCodes() {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
  const section = readme.slice(readme.indexOf('### Errors'), readme.indexOf('\n### ', readme.indexOf('### Errors') + 1))
  return [...section.matchAll(/^\| `([A-Z][A-Z0-9_]*)` \| (\d{3}) \|/gm)].map(([, code, status]) => ({ code: code as string, status: Number(status) }))
}

t.test('the registry, the OpenAPI document and README name the same codes', async (t) => {
  t.same([...document.components.schemas.Error.properties.code.enum].sort(), registry, 'the Error schema enumerates the registry')
  const readme = readmeCodes()
  t.same(readme.map(({ code }) => code).sort(), registry, "README's error table lists the registry")
  for (const { code, status } of readme) t.equal(status, errorCodes[code as ErrorCode]?.status, `README gives ${code} its status`)
})

// Codes that answer no documented operation: unknown routes, WebSocket upgrades, and requests
// Node's parser refuses before any route is chosen.
const outsideOperations = new Set(['ROUTE_NOT_FOUND', 'NO_WEBSOCKET_HERE', 'TOO_MANY_SOCKETS', 'ORIGIN_NOT_ALLOWED', 'UPGRADE_REQUIRED', 'REQUEST_TIMEOUT', 'REQUEST_HEADER_FIELDS_TOO_LARGE'])

t.test('every error response lists its codes, each with an example of its own status', async (t) => {
  const named = new Set<string>()
  for (const [path, operations] of Object.entries(document.paths)) {
    for (const [method, { responses }] of Object.entries(operations)) {
      for (const [status, response] of Object.entries(responses).filter(([status]) => Number(status) >= 400)) {
        const where = `${method.toUpperCase()} ${path} ${status}`
        const examples = Object.entries(response.content?.['application/json']?.examples ?? {})
        t.ok(examples.length > 0, `${where} lists its codes`)
        for (const [code, { value }] of examples) {
          named.add(code)
          t.equal(errorCodes[code as ErrorCode]?.status, Number(status), `${where}: ${code} is registered with this status`)
          t.same(value, { statusCode: Number(status), code, error: STATUS_CODES[status], message: value.message }, `${where}: the ${code} example`)
        }
        if (status === '429') t.ok(response.headers?.['retry-after'], `${where} declares Retry-After`)
      }
    }
  }
  t.same([...named, ...outsideOperations].sort(), registry, 'every registered code answers some operation, or is known not to')
})

t.test('only registered codes leave the error handler', async (t) => {
  const error = (code: string | undefined, statusCode: number, message = 'the message') =>
    toErrorBody(Object.assign(new Error(message), { code, statusCode }) as never)
  t.same(error('FST_ERR_BAD_URL', 400, "'/%zz' is not a valid url component"),
    { statusCode: 400, code: 'BAD_REQUEST', error: 'Bad Request', message: "'/%zz' is not a valid url component" }, 'an unregistered client error is BAD_REQUEST')
  t.equal(error('FST_PARTS_LIMIT', 413).code, 'TOO_MANY_PARTS', 'a renamed code')
  t.same(error('FST_FILES_LIMIT', 413), { statusCode: 400, code: 'TOO_MANY_FILES', error: 'Bad Request', message: 'the message' },
    'a renamed code keeps its registered status')
  t.same(error('SOME_BUG', 502, 'secret detail'), { statusCode: 500, code: 'INTERNAL_SERVER_ERROR', error: 'Internal Server Error', message: 'something went wrong on our side' })
  t.equal(error('STORAGE_UNAVAILABLE', 503, 'try later').message, 'try later', 'a server error written for clients keeps its message')
  for (const code of registry) {
    const { status } = errorCodes[code as ErrorCode]
    if (status < 500) t.equal(error(code, status).code, code, `${code} goes out as it is`)
  }
})
