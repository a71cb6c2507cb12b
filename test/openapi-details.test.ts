import { readFileSync } from 'node:fs'
import t from 'tap'
import { documentPath } from '../scripts/openapi.js'

// What generators and mock servers (prism) read from the committed document, beyond the linters' rules.
interface Schema { type?: string, items?: Schema, maxItems?: number, properties?: Record<string, Schema> }
interface Response {
  description?: string
  headers?: Record<string, unknown>
  content?: Record<string, { schema?: Schema, examples?: Record<string, unknown> }>
}
interface Operation {
  description?: string
  parameters?: { in: string, name: string }[]
  responses: Record<string, Response>
}

const document = JSON.parse(readFileSync(documentPath, 'utf8')) as { paths: Record<string, Record<string, Operation>> }
const operations = Object.entries(document.paths).flatMap(([path, item]) =>
  Object.entries(item).map(([method, operation]) => ({ name: `${method.toUpperCase()} ${path}`, operation })))

t.test('a path parameter can be too long: 414 is documented wherever there is one', async (t) => {
  const withPathParameters = operations.filter(({ operation }) => operation.parameters?.some((parameter) => parameter.in === 'path'))
  t.ok(withPathParameters.length > 5, 'operations with path parameters were found')
  for (const { name, operation } of withPathParameters) t.ok(operation.responses['414'], `${name} documents 414`)
})

t.test("login's 401 is the wrong-credentials answer, not a bearer-token one", async (t) => {
  const unauthorized = document.paths['/auth/login']?.post?.responses['401']
  t.same(Object.keys(unauthorized?.content?.['application/json']?.examples ?? {}), ['INVALID_CREDENTIALS'])
  t.match(unauthorized?.description, /^`INVALID_CREDENTIALS`:/)
  t.notMatch(unauthorized?.description, /TOKEN|bearer/i)
})

t.test('every 429 declares Retry-After', async (t) => {
  const limited = operations.filter(({ operation }) => operation.responses['429'])
  t.ok(limited.length >= 2, 'the limited operations were found')
  for (const { name, operation } of limited) t.ok(operation.responses['429']?.headers?.['retry-after'], `${name} 429 has Retry-After`)
})

t.test('every page holds at most 100 items', async (t) => {
  const pages = operations.flatMap(({ name, operation }) => {
    const items = operation.responses['200']?.content?.['application/json']?.schema?.properties?.items
    return items?.type === 'array' ? [{ name, items }] : []
  })
  t.ok(pages.length >= 5, 'the paged operations were found')
  for (const { name, items } of pages) t.equal(items.maxItems, 100, `${name} items has maxItems 100`)
})

t.test('every operation is described, and no response reads "Default Response"', async (t) => {
  for (const { name, operation } of operations) {
    t.ok(operation.description, `${name} has a description`)
    for (const [status, response] of Object.entries(operation.responses)) {
      t.ok(response.description && response.description !== 'Default Response', `${name} ${status} says what it is`)
      if (Number(status) >= 400) t.match(response.description, /^`[A-Z][A-Z0-9_]*`:/, `${name} ${status} lists its codes`)
    }
  }
})
