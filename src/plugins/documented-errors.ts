import { errorCodes, isErrorCode, type ErrorCode } from '../errors.js'
import { errorResponseOf, jsonBodyCodes, tokenCodes } from '../schemas/error.js'

interface Response {
  description?: string
  content?: Record<string, { schema?: unknown, examples?: Record<string, unknown> }>
  headers?: Record<string, unknown>
}
interface Operation {
  summary?: string
  parameters?: { in: string }[]
  requestBody?: { content?: Record<string, unknown> }
  security?: Record<string, string[]>[]
  responses?: Record<string, Response>
}
export interface Document { paths?: Record<string, Record<string, Operation>> }

const registryOrder = Object.keys(errorCodes)
const byRegistryOrder = (a: string, b: string) => registryOrder.indexOf(a) - registryOrder.indexOf(b)

/** The codes an operation can carry because of its shape, whatever its handler does. */
function codesOfShape(operation: Operation): ErrorCode[] {
  const codes: ErrorCode[] = ['BAD_REQUEST', 'INTERNAL_SERVER_ERROR']
  const where = new Set(operation.parameters?.map((parameter) => parameter.in))
  // Validation errors (FST_ERR_VALIDATION) are the route's to declare: an image name that breaks
  // its pattern, for one, is a 404.
  if (where.has('path')) codes.push('FST_ERR_MAX_PARAM_LENGTH')
  if (operation.parameters?.some((parameter) => parameter.in === 'query' && 'name' in parameter && parameter.name === 'cursor')) codes.push('INVALID_CURSOR')
  if (operation.requestBody?.content?.['application/json']) codes.push(...jsonBodyCodes)
  if (operation.security?.some((requirement) => 'bearerAuth' in requirement)) codes.push(...tokenCodes)
  return codes
}

/**
 * The codes a route's error response names. @fastify/swagger keeps only the description beside
 * a $ref, so they are read from it: errorResponseOf() writes each as `CODE`: meaning.
 */
function codesOf(response: Response): ErrorCode[] {
  return [...(response.description ?? '').matchAll(/`([A-Z][A-Z0-9_]*)`:/g)].map(([, code]) => code).filter(isErrorCode)
}

function asOpenapiResponse(codes: ErrorCode[]): Response {
  const { description, 'x-examples': examples, headers } = errorResponseOf(codes)
  return {
    description,
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' }, examples } },
    ...(headers && {
      headers: Object.fromEntries(Object.entries(headers).map(([name, { description: about, ...schema }]) => [name, { description: about, schema }])),
    }),
  }
}

/**
 * Completes every operation's error responses: the codes its shape can give are added to those
 * its route declared, and each response says what each of its codes means, with an example of
 * its own status. Operations without a bearer requirement say `security: []`, and a success
 * response without a description of its own is described by the operation's summary.
 */
export function documentErrors(document: Document) {
  for (const operations of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(operations)) {
      operation.security ??= []
      const responses = operation.responses ??= {}
      const codesByStatus = new Map<string, Set<ErrorCode>>()
      for (const [status, response] of Object.entries(responses)) {
        if (Number(status) >= 400) codesByStatus.set(status, new Set(codesOf(response)))
        else if (response.description === 'Default Response' && operation.summary) response.description = operation.summary
      }
      for (const code of codesOfShape(operation)) {
        const status = String(errorCodes[code].status)
        codesByStatus.set(status, (codesByStatus.get(status) ?? new Set()).add(code))
      }
      for (const [status, codes] of codesByStatus) {
        if (codes.size > 0) responses[status] = asOpenapiResponse([...codes].sort(byRegistryOrder))
      }
      operation.responses = Object.fromEntries(Object.entries(responses).sort(([a], [b]) => a.localeCompare(b)))
    }
  }
}
