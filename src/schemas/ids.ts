import { Type } from '@sinclair/typebox'

export const UserId = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'A user id', examples: [42] })

export const UserIdParams = Type.Object({ id: UserId })

const decimal = /^[1-9][0-9]*$/

/**
 * The original service's routes and chat frame took ids as decimal strings too (Postman
 * variables produce them), so those, and only those, take either. Other look-alikes ('02',
 * ' 2', '2.0', '0x2', '1e3') are not ids.
 */
export const SeedUserId = Type.Union([
  Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
  Type.String({ pattern: decimal.source, maxLength: 16 }),
], { description: 'A user id: an integer, or its decimal string (the original service accepted both)', examples: [42] })

/**
 * A decimal string as the number it spells, before validation, so that the integer's bounds
 * apply to both spellings; anything else is left for the schema to refuse.
 */
export const seedId = (value: unknown) => (typeof value === 'string' && decimal.test(value) ? Number(value) : value)
