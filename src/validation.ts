import type { FastifySchemaCompiler } from 'fastify'
import { Ajv, type Options, type ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'

const common: Options = { useDefaults: true, removeAdditional: true, allErrors: false }

// Query strings and path parameters are text, so they are coerced to the schema's types;
// JSON bodies already have types, and a number where a string belongs is a client bug (400).
const coercing = addFormats.default(new Ajv({ ...common, coerceTypes: 'array' }))
const strict = addFormats.default(new Ajv({ ...common, coerceTypes: false }))

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

export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) =>
  httpPart === 'body' ? strict.compile(schema) : finiteOnly(coercing.compile(schema))
