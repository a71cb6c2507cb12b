import type { FastifySchemaCompiler } from 'fastify'
import { Ajv, type Options } from 'ajv'
import addFormats from 'ajv-formats'

const common: Options = { useDefaults: true, removeAdditional: true, allErrors: false }

// Query strings and path parameters are text, so they are coerced to the schema's types;
// JSON bodies already have types, and a number where a string belongs is a client bug (400).
const coercing = addFormats.default(new Ajv({ ...common, coerceTypes: 'array' }))
const strict = addFormats.default(new Ajv({ ...common, coerceTypes: false }))

export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) =>
  (httpPart === 'body' ? strict : coercing).compile(schema)
