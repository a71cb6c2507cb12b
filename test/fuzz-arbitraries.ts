import { STATUS_CODES } from 'node:http'
import fc from 'fast-check'

export interface ParameterSchema { type?: string, pattern?: string }
export interface Operation {
  method: string
  operationId?: string
  path: string
  parameters?: Array<{ in: string, name: string, schema: ParameterSchema }>
  requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, ParameterSchema> } }> }
}

const hugeNumbers = fc.constantFrom(1e308, -1e308, 2 ** 53, 2 ** 53 + 2, -0, 1e23, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 0.5, -1, 0, 2 ** 31, 2 ** 63)

export const hostileString = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', ' ', '\u0000', 'a\u0000b', '\uD800', '\uDFFF\uD800', '𝕏𝕏𝕏', 'e\u0301', '\u202Eevil', '../../etc/passwd', '%00', "' or 1=1 --",
    // '${7*7}' probes template injection: a plain string on purpose.
    // eslint-disable-next-line no-template-curly-in-string
    '<script>alert(1)</script>', '${7*7}', '{{7*7}}', '__proto__', 'constructor', 'NaN', 'Infinity', '1e23', '-1', '0x10', '1.0', '١٢٣', 'null', 'true'),
  fc.nat({ max: 300_000 }).map((n) => 'x'.repeat(n)),
  fc.nat({ max: 5_000 }).map((n) => '😀'.repeat(n)),
)

/** Any JSON value a client could send where a field is expected. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  hugeNumbers,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.jsonValue({ maxDepth: 3 }),
)

/** JSON texts that are broken, deep, huge or merely odd. */
export const jsonText = fc.oneof(
  fc.json({ maxDepth: 4 }).chain((text) => fc.nat({ max: Math.max(0, text.length - 1) }).map((cut) => text.slice(0, cut))),
  fc.json({ maxDepth: 4 }),
  fc.constantFrom('', ' ', 'null', '[]', '"x"', '1e999', '-0', '{"a":1,"a":2}', '{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"x":1}}}',
    '\uFEFF{}', '{}garbage', '{"username":"alice","password":"password123"', '{\'single\':1}', 'NaN', '{"x":"\\ud800"}', '{"x":"\\u0000"}'),
  fc.nat({ max: 100_000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`),
  fc.nat({ max: 50_000 }).map((depth) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`),
  fc.nat({ max: 1_100_000 }).map((size) => `{"username":"${'u'.repeat(size)}"}`),
)

/** encodeURIComponent, except that lone surrogates (which it throws on) are sent as their bytes would be. */
export function safeEncode(value: string): string {
  try {
    return encodeURIComponent(value)
  } catch {
    return [...Buffer.from(value, 'utf8')].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('')
  }
}

/** Below 500; a 4xx is exactly { statusCode, code, error, message } with this status's reason phrase. */
export function checkAnswer(response: { statusCode: number, body: string, headers: Record<string, unknown> }, label: string) {
  const { statusCode } = response
  const say = (problem: string) => new Error(`${label.slice(0, 300)} -> ${statusCode}: ${problem}; body ${response.body.slice(0, 300)}`)
  if (statusCode >= 500) throw say('a server error')
  if (statusCode < 400) return
  if (response.body === '' && response.headers['content-length'] === undefined) return
  let body: Record<string, unknown>
  try {
    body = JSON.parse(response.body) as Record<string, unknown>
  } catch {
    // HEAD answers carry the headers of the error, not its body.
    if (response.body === '') return
    throw say('a body that is not JSON')
  }
  const keys = Object.keys(body).sort().join(',')
  if (keys !== 'code,error,message,statusCode') throw say(`keys ${keys}`)
  if (body.statusCode !== statusCode) throw say('statusCode differs from the status')
  if (typeof body.code !== 'string' || !/^[A-Z][A-Z0-9_]*$/.test(body.code)) throw say('code is not UPPER_SNAKE')
  if (body.error !== STATUS_CODES[statusCode]) throw say('error is not the reason phrase')
  if (typeof body.message !== 'string') throw say('message is not a string')
}

/** Runs a property; a failure is one short line (the answer, the seed and the path to replay it), not the whole counterexample. */
export async function holds<T>(t: { fail(message: string): void }, property: fc.IAsyncPropertyWithHooks<T> | fc.IAsyncProperty<T>, parameters: fc.Parameters<T>) {
  const details = await fc.check(property, { ...parameters, endOnFailure: true })
  if (!details.failed) return
  const error = details.errorInstance as Error | undefined
  t.fail(`${error?.message.slice(0, 800) ?? 'failed'} (replay: FUZZ_SEED=${details.seed}, path ${details.counterexamplePath})`)
}
