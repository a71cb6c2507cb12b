import type { FastifyServerOptions } from 'fastify'
import { Ajv, type Options, type ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'

type ValidatorFactory = NonNullable<NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>['buildValidator']>

const common: Options = { useDefaults: true, allErrors: false }

/**
 * Ajv coerces 'Infinity' and '1e400' to Infinity and then lets it pass minimum and maximum, so
 * GET /users/Infinity reached the database (a 500). No parameter is ever meant to be infinite.
 */
function finiteOnly(validate: ValidateFunction): ValidateFunction {
  const checked = ((data: unknown) => {
    checked.errors = null
    if (!validate(data)) {
      checked.errors = validate.errors
      return false
    }
    if (typeof data !== 'object' || data === null) return true
    for (const [key, value] of Object.entries(data)) {
      const values: unknown[] = Array.isArray(value) ? value : [value]
      if (values.some((item) => typeof item === 'number' && !Number.isFinite(item))) {
        checked.errors = [{ instancePath: `/${key}`, schemaPath: '#/finite', keyword: 'finite', params: {}, message: 'must be a finite number' }]
        return false
      }
    }
    return true
  }) as ValidateFunction
  return checked
}

const loneSurrogate = /[\uD800-\uDFFF]/u

/**
 * JSON can spell an unpaired UTF-16 surrogate ("\ud800"), which UTF-8 cannot hold: PostgreSQL
 * rejects such text (22P02) and argon2 would hash it as U+FFFD. Query strings and paths cannot
 * carry one (their undecodable bytes stay percent-encoded); JSON bodies and chat frames can.
 */
export const isWellFormed = (text: string) => !loneSurrogate.test(text)

/** The path of the first string in a JSON value that is not well-formed Unicode. */
export function malformedTextAt(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return isWellFormed(value) ? undefined : path
  if (typeof value !== 'object' || value === null) return undefined
  for (const [key, item] of Object.entries(value)) {
    const found = malformedTextAt(item, `${path}/${key}`)
    if (found !== undefined) return found
  }
  return undefined
}

/** Ajv's "must NOT have additional properties" does not say which; the answer names the field. */
const namingUnknownFields = (errors: ValidateFunction['errors']) => errors?.map((error) =>
  error.keyword === 'additionalProperties'
    ? { ...error, instancePath: `${error.instancePath}/${String(error.params.additionalProperty)}`, message: 'is not a field of this body' }
    : error) ?? null

function checkedBody(validate: ValidateFunction): ValidateFunction {
  const checked = ((data: unknown) => {
    checked.errors = null
    if (!validate(data)) {
      checked.errors = namingUnknownFields(validate.errors)
      return false
    }
    const path = malformedTextAt(data)
    if (path === undefined) return true
    checked.errors = [{ instancePath: path, schemaPath: '#/wellFormed', keyword: 'wellFormed', params: {}, message: 'must be well-formed Unicode text (it holds an unpaired surrogate)' }]
    return false
  }) as ValidateFunction
  return checked
}

const canonicalInteger = /^-?(0|[1-9][0-9]*)$/

/**
 * Ajv coerces text with Number(), so '0x211', '529e0', '+529', '0529', ' 529' and '529.0' all
 * became 529: one id had many spellings (and a cache or a log keyed by the URL saw them as
 * different). Integers in a URL are written one way only, in canonical decimal.
 */
function canonicalIntegersOnly(schema: unknown, validate: ValidateFunction): ValidateFunction {
  const properties = (schema as { properties?: Record<string, { type?: unknown }> }).properties ?? {}
  const integers = Object.keys(properties).filter((key) => properties[key]?.type === 'integer')
  if (integers.length === 0) return validate
  const checked = ((data: unknown) => {
    checked.errors = null
    if (typeof data === 'object' && data !== null) {
      for (const key of integers) {
        const value = (data as Record<string, unknown>)[key]
        const values: unknown[] = Array.isArray(value) ? value : [value]
        if (values.some((item) => typeof item === 'string' && !canonicalInteger.test(item))) {
          checked.errors = [{ instancePath: `/${key}`, schemaPath: '#/canonical', keyword: 'canonical', params: {}, message: 'must be an integer in decimal digits' }]
          return false
        }
      }
    }
    if (validate(data)) return true
    checked.errors = validate.errors
    return false
  }) as ValidateFunction
  return checked
}

function ajvSeeing(sharedSchemas: Parameters<ValidatorFactory>[0], options: Options) {
  const ajv = addFormats.default(new Ajv({ ...common, ...options }))
  for (const schema of Object.values(sharedSchemas)) ajv.addSchema(schema)
  return ajv
}

// Every app built with the same shared schemas (every test's app, each encapsulated feature
// adding none) shares one pair of Ajv instances and their compiled validators.
const pairs = new Map<string, { coercing: Ajv, strict: Ajv }>()

/**
 * Fastify calls this for each plugin scope that added shared schemas (addSchema), handing it every
 * schema that scope sees, so a body or a query written as Type.Ref(UserSchema) resolves.
 */
export const buildValidator: ValidatorFactory = (sharedSchemas) => {
  const key = JSON.stringify(sharedSchemas)
  let pair = pairs.get(key)
  if (!pair) {
    // Query strings and path parameters are text, so they are coerced to the schema's types, and a
    // parameter nobody reads (a tracking tag) is dropped. JSON bodies already have types: a number
    // where a string belongs is a client bug (400), and so is a field the body does not have, as the
    // OpenAPI document's additionalProperties: false says (a misspelt optional field would otherwise
    // be dropped without a word).
    pair = {
      coercing: ajvSeeing(sharedSchemas, { removeAdditional: true, coerceTypes: 'array' }),
      strict: ajvSeeing(sharedSchemas, { removeAdditional: false, coerceTypes: false }),
    }
    pairs.set(key, pair)
  }
  const { coercing, strict } = pair
  return ({ schema, httpPart }) => httpPart === 'body' ? checkedBody(strict.compile(schema)) : canonicalIntegersOnly(schema, finiteOnly(coercing.compile(schema)))
}
