import { Type, type TSchema } from '@sinclair/typebox'

const MAX_PAGE_SIZE = 100

export const PageQuery = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 20, description: 'Items per page' }),
  cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 512, description: "The previous page's nextCursor" })),
})

export const Page = <T extends TSchema>(item: T, description: string) => Type.Object({
  items: Type.Array(item, { maxItems: MAX_PAGE_SIZE }),
  nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass as ?cursor= for the next page; null on the last page' }),
}, { description, additionalProperties: false })

/** Rows are fetched one past the limit: the extra row says whether another page follows. */
export function toPage<Row, Item>(rows: Row[], limit: number, toItem: (row: Row) => Item, cursorOf: (row: Row) => string) {
  const more = rows.length > limit
  const pageRows = more ? rows.slice(0, limit) : rows
  return {
    items: pageRows.map(toItem),
    nextCursor: more ? cursorOf(pageRows[pageRows.length - 1] as Row) : null,
  }
}
