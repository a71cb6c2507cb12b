import { mkdir, open, readFile, unlink } from 'node:fs/promises'

export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError'
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * PGlite does nothing to stop a second process opening the same directory, and that
 * process's writes are silently lost; a pid file next to the directory makes it fail fast.
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const lockFile = `${dataDir}.lock`
  await mkdir(dataDir, { recursive: true })
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(lockFile, 'wx')
      await handle.writeFile(String(process.pid))
      await handle.close()
      return () => unlink(lockFile).catch(() => {})
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const pid = Number((await readFile(lockFile, 'utf8').catch(() => '')).trim())
      if (pid && pid !== process.pid && isRunning(pid)) {
        throw new DataDirLockedError(
          `${dataDir} is in use by process ${pid}; stop it, or set DATA_DIR or DATABASE_URL to use another database`,
        )
      }
      if (pid === process.pid) throw new DataDirLockedError(`${dataDir} is already open in this process`)
      await unlink(lockFile).catch(() => {})
    }
  }
  throw new DataDirLockedError(`could not lock ${dataDir}`)
}
