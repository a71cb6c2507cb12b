/**
 * What the database connections are doing, for metrics and load shedding. Neither driver tells:
 * postgres-js keeps its queues private and PGlite has one connection and a private lock. So
 * every statement and transaction the app starts is counted from start to end; both drivers
 * hand out connections first come, first served, so of those in flight the `size` oldest hold
 * the connections and the rest wait, the oldest of them since its start.
 */
export interface PoolUse {
  /** Connections the pool may open (postgres-js's max; 1 for PGlite). */
  readonly size: number
  /** Statements and transactions holding a connection now. */
  inUse(): number
  /** Those waiting for one. */
  waiting(): number
  /** How long the statement waiting longest has waited, in ms (0 when none waits). */
  longestWaitMs(): number
}

export function createPoolUse(size: number, now: () => number = performance.now.bind(performance)) {
  // Insertion order is start order.
  const inFlight = new Map<symbol, number>()

  function track<Result>(started: PromiseLike<Result>): void {
    const key = Symbol('statement')
    inFlight.set(key, now())
    const ended = () => {
      inFlight.delete(key)
    }
    started.then(ended, ended)
  }

  const use: PoolUse = {
    size,
    inUse: () => Math.min(inFlight.size, size),
    waiting: () => Math.max(0, inFlight.size - size),
    longestWaitMs() {
      if (inFlight.size <= size) return 0
      let index = 0
      for (const startedAt of inFlight.values()) {
        if (index++ === size) return Math.max(0, now() - startedAt)
      }
      return 0
    },
  }
  return { use, track }
}

/**
 * Replaces the methods through which drizzle reaches a driver (`unsafe` and `begin` on
 * postgres-js, `query` and `transaction` on PGlite) with ones that count what they start.
 * Statements inside a transaction use the transaction's own handle and are not counted again.
 */
export function countCalls<Target extends object>(target: Target, names: readonly (keyof Target & string)[], track: (started: PromiseLike<unknown>) => void) {
  for (const name of names) {
    const original = target[name] as (...args: unknown[]) => PromiseLike<unknown>
    Object.defineProperty(target, name, {
      configurable: true,
      writable: true,
      value: function counted(this: unknown, ...args: unknown[]) {
        const started = original.apply(this, args)
        track(started)
        return started
      },
    })
  }
}
