import { randomUUID } from 'node:crypto'
import { mkdir, open, readdir, rename, stat, unlink } from 'node:fs/promises'
import { join } from 'node:path'

const TEMP_PREFIX = '.upload-'
/** Older temp files can only be left over from a crash; younger ones may be another process's upload. */
const STALE_TEMP_MS = 60 * 60 * 1000

const ignoreMissing = (error: unknown) => {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
}

/** Pictures as files named by the server: `<uuid>.webp` in `dir`, never a name the client chose. */
export async function createPictureStore(dir: string) {
  await mkdir(dir, { recursive: true })
  for (const entry of await readdir(dir)) {
    if (!entry.startsWith(TEMP_PREFIX)) continue
    const path = join(dir, entry)
    const { mtimeMs } = await stat(path).catch(() => ({ mtimeMs: Date.now() }))
    if (Date.now() - mtimeMs > STALE_TEMP_MS) await unlink(path).catch(ignoreMissing)
  }

  return {
    /** Written whole to a temp file and renamed, so the name never points at a partial file. */
    async save(webp: Buffer): Promise<string> {
      const name = `${randomUUID()}.webp`
      const temp = join(dir, `${TEMP_PREFIX}${randomUUID()}`)
      try {
        const file = await open(temp, 'wx')
        try {
          await file.writeFile(webp)
          // Without it a power cut after the rename can leave the name pointing at an empty file.
          await file.datasync()
        } finally {
          await file.close()
        }
        await rename(temp, join(dir, name))
      } catch (error) {
        await unlink(temp).catch(ignoreMissing)
        throw error
      }
      return name
    },

    async remove(name: string): Promise<void> {
      await unlink(join(dir, name)).catch(ignoreMissing)
    },
  }
}
export type PictureStore = Awaited<ReturnType<typeof createPictureStore>>
