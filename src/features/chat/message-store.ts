import { driverErrorCode } from '../../db/errors.js'
import { UserNotFound } from '../../errors.js'
import type { ChatMetrics } from './metrics.js'
import type { ChatRepository, Draft, MessageRow } from './repository.js'

export interface Saved {
  message: MessageRow
  /** False when the message was already stored: acknowledge it again, deliver it never again. */
  created: boolean
}

interface Waiting {
  draft: Draft
  resolve(saved: Saved): void
  reject(error: unknown): void
  /** Set when an earlier draft in the same batch has the same (sender, clientMessageId). */
  sameAs?: Waiting
  saved?: Saved
}

// Integrity (23) and data (22) errors belong to one row; any other error would fail every row alike.
const isRowError = (error: unknown) => /^2[23]/.test(driverErrorCode(error) ?? '')

const keyOf = (draft: Draft) => (draft.clientMessageId === null ? undefined : `${draft.senderId}:${draft.clientMessageId}`)

/**
 * Stores messages in batches: drafts arriving while a batch is being written make the next
 * batch, so under load there is one statement and one commit per batch, not per message, and
 * when idle a message is written on the next turn of the event loop. One batch is written at a
 * time, which keeps ids in arrival order for every sender.
 */
export function createMessageStore(repository: ChatRepository, { maxBatch = 1000, metrics }: { maxBatch?: number, metrics?: Pick<ChatMetrics, 'stored' | 'batchSize'> } = {}) {
  let queue: Waiting[] = []
  let writing: Promise<void> | undefined

  async function writeAll() {
    while (queue.length > 0) {
      const batch = queue.length > maxBatch ? queue.splice(0, maxBatch) : queue
      if (batch === queue) queue = []
      try {
        await write(batch)
      } catch (error) {
        for (const waiting of batch) waiting.reject(error)
      }
    }
    writing = undefined
  }

  async function write(batch: Waiting[]) {
    const firsts = new Map<string, Waiting>()
    const distinct: Waiting[] = []
    for (const waiting of batch) {
      const key = keyOf(waiting.draft)
      const first = key === undefined ? undefined : firsts.get(key)
      if (first) {
        waiting.sameAs = first
        continue
      }
      if (key !== undefined) firsts.set(key, waiting)
      distinct.push(waiting)
    }
    try {
      await save(distinct)
    } catch (error) {
      if (distinct.length > 1 && isRowError(error)) {
        for (const waiting of distinct) await write([waiting])
        for (const waiting of batch) if (waiting.sameAs) settle(waiting)
        return
      }
      // A user deleted between the follow check and this write (a batch with a row error is
      // down to one draft by now): the store reports it as the domain's USER_NOT_FOUND.
      const refused = driverErrorCode(error) === '23503' ? new UserNotFound(distinct[0]?.draft.recipientId) : error
      for (const waiting of batch) waiting.reject(refused)
      return
    }
    for (const waiting of batch) settle(waiting)
  }

  function settle(waiting: Waiting) {
    const saved = waiting.sameAs ? waiting.sameAs.saved : waiting.saved
    if (!saved) return waiting.reject(new Error('the message was not stored'))
    waiting.resolve(waiting.sameAs ? { message: saved.message, created: false } : saved)
  }

  async function save(distinct: Waiting[]) {
    metrics?.batchSize.observe(distinct.length)
    const rows = await repository.insert(distinct.map((waiting) => waiting.draft))
    metrics?.stored.inc(rows.length)
    let next = 0
    const skipped: Waiting[] = []
    for (const waiting of distinct) {
      const row = rows[next]
      // Rows come back in input order minus the skipped ones, and only a draft with a
      // clientMessageId can be skipped, so the next row is this draft's or it was skipped.
      if (row && row.senderId === waiting.draft.senderId && row.clientMessageId === waiting.draft.clientMessageId) {
        waiting.saved = { message: row, created: true }
        next++
      } else {
        skipped.push(waiting)
      }
    }
    if (skipped.length === 0) return
    const keys = skipped.map(({ draft }) => ({ senderId: draft.senderId, clientMessageId: draft.clientMessageId as string }))
    const stored = new Map((await repository.findByClientMessageIds(keys)).map((row) => [`${row.senderId}:${row.clientMessageId}`, row]))
    for (const waiting of skipped) {
      const row = stored.get(keyOf(waiting.draft) as string)
      if (row) waiting.saved = { message: row, created: false }
    }
  }

  return {
    /** Rejects with UserNotFound when either user was deleted after the follow check. */
    save(draft: Draft): Promise<Saved> {
      return new Promise((resolve, reject) => {
        queue.push({ draft, resolve, reject })
        // setImmediate, not a microtask: frames read in the same poll phase join one batch.
        writing ??= new Promise((ready) => setImmediate(ready)).then(writeAll)
      })
    },

    /** Resolves once every draft handed in so far is stored (or refused). */
    async drain() {
      while (writing) await writing
    },
  }
}
export type MessageStore = ReturnType<typeof createMessageStore>
