import { ServiceUnavailable } from '../../errors.js'

interface Waiting {
  start(): void
  refuse(): void
  /** performance.now() past which the job is refused instead of started. */
  deadline: number
  timer: NodeJS.Timeout | undefined
}

export interface HashQueue {
  /**
   * Runs `job` when one of the queue's slots is free, in arrival order. A job that has not
   * started `maxWaitMs` after it was queued is refused then (503 SERVICE_UNAVAILABLE with
   * Retry-After) and never started, so its request is answered within the bound and no thread
   * works for a request already answered. `maxWaitMs` 0 waits as long as it takes.
   */
  run<Result>(job: () => Promise<Result>, maxWaitMs: number): Promise<Result>
  /** How long a job queued now would wait, from the jobs ahead of it and their mean duration. */
  expectedWaitMs(): number
  readonly active: number
  readonly waiting: number
}

export function createHashQueue(slots: number, priorJobMs: number): HashQueue {
  // A Set keeps arrival order and lets a refused job leave from the middle.
  const queue = new Set<Waiting>()
  let active = 0
  let jobMs = priorJobMs

  const expectedWaitMs = () => Math.floor((active + queue.size) / slots) * jobMs
  const refusal = () => {
    const seconds = Math.max(1, Math.ceil(expectedWaitMs() / 1000))
    return Object.assign(new ServiceUnavailable(`too many passwords are being checked; retry in ${seconds} seconds`), { retryAfterSeconds: seconds })
  }

  function startNext() {
    for (const next of queue) {
      if (active >= slots) return
      queue.delete(next)
      clearTimeout(next.timer)
      // The timer may not have fired yet on a busy loop; the deadline holds anyway.
      if (performance.now() > next.deadline) next.refuse()
      else next.start()
    }
  }

  function run<Result>(job: () => Promise<Result>, maxWaitMs: number): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      const start = () => {
        active++
        const started = performance.now()
        // async: a job that throws before its first await rejects like one that fails later.
        void (async () => job())().then(resolve, reject).finally(() => {
          active--
          jobMs = 0.9 * jobMs + 0.1 * (performance.now() - started)
          startNext()
        })
      }
      if (active < slots && queue.size === 0) {
        start()
        return
      }
      const waiting: Waiting = { start, refuse: () => reject(refusal()), deadline: maxWaitMs > 0 ? performance.now() + maxWaitMs : Infinity, timer: undefined }
      if (maxWaitMs > 0) {
        waiting.timer = setTimeout(() => {
          queue.delete(waiting)
          waiting.refuse()
        }, maxWaitMs)
      }
      queue.add(waiting)
    })
  }

  return {
    run,
    expectedWaitMs,
    get active() { return active },
    get waiting() { return queue.size },
  }
}
