import { randomUUID } from 'node:crypto'
import { mkdir, open, readdir, rename, stat, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import type { PictureStore, StoredPicture } from './picture-storage.js'

const TEMP_PREFIX = '.upload-'
/** Older temp files can only be left over from a crash; younger ones may be another process's upload. */
const STALE_TEMP_MS = 60 * 60 * 1000

const ignoreMissing = (error: unknown) => {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
}

/** If-None-Match lists ETags (or `*`); a weak comparison is the one it asks for. */
const matches = (ifNoneMatch: string, etag: string) =>
  ifNoneMatch.split(',').some((candidate) => {
    const tag = candidate.trim()
    return tag === '*' || tag.replace(/^W\//, '') === etag.replace(/^W\//, '')
  })

/** Pictures as files named by the server: `<uuid>.webp` in `dir`, never a name the client chose. */
export async function createDiskPictureStore(dir: string): Promise<PictureStore> {
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

    async read(name: string, ifNoneMatch: string | undefined): Promise<StoredPicture | null> {
      // The route admits only picture names; a path or a temp file's name is refused here too.
      if (name.includes('/') || name.includes('\\') || name.startsWith('.')) return null
      let file
      try {
        file = await open(join(dir, name), 'r')
      } catch (error) {
        ignoreMissing(error)
        return null
      }
      const { size, mtimeMs } = await file.stat().catch(async (error: unknown) => {
        await file.close()
        throw error
      })
      const etag = `W/"${size.toString(16)}-${Math.floor(mtimeMs).toString(16)}"`
      if (ifNoneMatch !== undefined && matches(ifNoneMatch, etag)) {
        await file.close()
        return { notModified: true, etag }
      }
      return { notModified: false, etag, length: size, body: file.createReadStream() }
    },
  }
}
