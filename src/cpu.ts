import { availableParallelism } from 'node:os'

/**
 * How many CPU-heavy tasks (argon2, image re-encoding) may run at once on libuv's threads:
 * one fewer than the cores, so one is always left for the event loop.
 */
export const backgroundCores = Math.max(1, availableParallelism() - 1)
