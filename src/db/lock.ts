import { mkdir, stat, unlink } from 'node:fs/promises'
import { resolve } from 'node:path'
import { lock } from 'proper-lockfile'

export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError'
}

// The holder refreshes its lock's mtime every 2 s; one untouched for 10 s is a crashed holder's.
// A process id would not do: after a crash in a container every start is pid 1, and after a
// reboot a recorded pid may belong to anyone.
const STALE_MS = 10_000
const UPDATE_MS = 2_000

const openHere = new Set<string>()

/**
 * PGlite does nothing to stop a second process opening the same directory, and that
 * process's writes are silently lost: a lock directory next to it (proper-lockfile) makes the
 * second one fail. A lock left by a crash is waited out, so a restart takes up to 10 s more.
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const lockPath = `${dataDir}.lock`
  await mkdir(dataDir, { recursive: true })
  const key = resolve(dataDir)
  if (openHere.has(key)) throw new DataDirLockedError(`${dataDir} is already open in this process`)
  // Earlier releases kept a pid file at the same path; the process that wrote it is gone or not ours to judge.
  if ((await stat(lockPath).catch(() => null))?.isFile()) await unlink(lockPath)
  let release: () => Promise<void>
  try {
    release = await lock(dataDir, {
      lockfilePath: lockPath,
      stale: STALE_MS,
      update: UPDATE_MS,
      retries: { retries: Math.ceil(STALE_MS / UPDATE_MS) + 1, factor: 1, minTimeout: UPDATE_MS, maxTimeout: UPDATE_MS },
    })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error
    throw new DataDirLockedError(
      `${dataDir} is in use by another process (its lock ${lockPath} is kept fresh); stop it, or set DATA_DIR or DATABASE_URL to use another database`,
    )
  }
  openHere.add(key)
  return async () => {
    if (!openHere.delete(key)) return
    await release().catch(() => {})
  }
}
