import t from 'tap'
import { readFileSync } from 'node:fs'
import { Parser } from '@asyncapi/parser'
import { Ajv } from 'ajv'
import addFormats from 'ajv-formats'
import { asyncApiDocument, asyncApiPath } from '../scripts/asyncapi.js'
import { AckFrame, ErrorFrame, PresenceFrame, ReadFrame, TypingFrame } from '../src/features/chat/schemas.js'
import { buildTestApp } from './helper.js'

const app = await buildTestApp(t)

t.test('the committed asyncapi.json is the one the server serves (run npm run asyncapi after changing a frame)', async (t) => {
  const served = await app.inject({ url: '/docs/asyncapi.json' })
  t.equal(served.statusCode, 200, 'without a token, like the rest of /docs')
  t.equal(`${JSON.stringify(served.json(), null, 2)}\n`, readFileSync(asyncApiPath, 'utf8'))
  t.equal(asyncApiDocument(), readFileSync(asyncApiPath, 'utf8'))
})

t.test('@asyncapi/parser finds no error in it', async (t) => {
  const { document, diagnostics } = await new Parser().parse(readFileSync(asyncApiPath, 'utf8'))
  t.same(diagnostics.filter((diagnostic) => diagnostic.severity === 0).map((diagnostic) => `${diagnostic.path.join('.')}: ${diagnostic.message}`), [])
  t.ok(document, 'and it parses')
  const operations = document?.operations().all() ?? []
  t.same(operations.filter((operation) => operation.action() === 'receive').map((operation) => operation.id()).sort(),
    ['receive_markRead', 'receive_sendMessage', 'receive_startTyping'], 'every client frame')
  t.same(operations.filter((operation) => operation.action() === 'send').map((operation) => operation.id()).sort(),
    ['send_ack', 'send_error', 'send_message', 'send_presence', 'send_read', 'send_typing'], 'every server frame')
  t.equal(document?.servers().get('local')?.security().length, 3, 'the three ways to pass the token')
})

t.test('its examples are frames the server schemas accept, and it names every code', async (t) => {
  const spec = JSON.parse(readFileSync(asyncApiPath, 'utf8'))
  const ajv = addFormats.default(new Ajv({ strict: false }))
  for (const [name, schema] of Object.entries({ ack: AckFrame, error: ErrorFrame, read: ReadFrame, typing: TypingFrame, presence: PresenceFrame })) {
    t.ok(ajv.validate(schema, spec.components.messages[name].examples[0].payload), `${name} example`)
  }
  const codes = spec.info['x-error-codes'].map((entry: { code: string }) => entry.code).sort()
  t.same(codes, [...spec.components.schemas.errorCode.anyOf.map((literal: { const: string }) => literal.const)].sort())
  t.same(spec.info['x-close-codes'].map((entry: { code: number }) => entry.code).sort(), [1001, 1002, 1006, 1007, 1008, 1009, 1011])
})
