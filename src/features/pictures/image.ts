import { fileTypeFromBuffer } from 'file-type'
import pLimit from 'p-limit'
import sharp from 'sharp'
import { backgroundCores } from '../../cpu.js'
import { EmptyFile, InvalidImage, TooManyPixels, UnsupportedMediaType } from '../../errors.js'

// An animated PNG is still a PNG; file-type names it apart.
export const ACCEPTED_TYPES = ['image/jpeg', 'image/png', 'image/apng', 'image/webp', 'image/gif', 'image/avif']
export const MAX_SIDE = 512
/** Enough for a 48-megapixel phone photo; anything larger is treated as a decompression bomb. */
export const MAX_INPUT_PIXELS = 50_000_000

/** The image type told by the bytes themselves; the client's name and content type are never asked. */
async function imageTypeOf(bytes: Buffer): Promise<string> {
  if (bytes.length === 0) throw new EmptyFile()
  const type = await fileTypeFromBuffer(bytes)
  if (!type || !ACCEPTED_TYPES.includes(type.mime)) {
    throw new UnsupportedMediaType(`${type ? type.mime : 'this file'} is not accepted; send a JPEG, PNG, WebP, GIF or AVIF image`)
  }
  return type.ext
}

const isPixelLimitError = (error: unknown) => error instanceof Error && /pixel limit/i.test(error.message)

/**
 * A WebP of at most 512x512, turned upright, with no metadata at all (sharp writes none unless
 * asked). Animated images keep their first frame.
 */
async function reencode(bytes: Buffer): Promise<Buffer> {
  const type = await imageTypeOf(bytes)
  // The header alone gives the dimensions, so a bomb is refused before a pixel is decoded.
  const input = () => sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
  try {
    const { width, height } = await input().metadata()
    if (width * height > MAX_INPUT_PIXELS) {
      throw new TooManyPixels(`the image is ${width}x${height} pixels; at most ${MAX_INPUT_PIXELS} pixels are accepted`)
    }
    return await input()
      .autoOrient()
      .resize(MAX_SIDE, MAX_SIDE, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 82 })
      .toBuffer()
  } catch (error) {
    if (error instanceof TooManyPixels) throw error
    if (isPixelLimitError(error)) throw new TooManyPixels(`at most ${MAX_INPUT_PIXELS} pixels are accepted`)
    throw new InvalidImage(type)
  }
}

/**
 * Re-encoding runs on libuv worker threads, never on the event loop, but CPU time is shared:
 * each re-encode gets one libvips thread and at most one core fewer than the machine has run at
 * once, so a core is always left for answering requests (measured by bench/upload.ts).
 */
export function createReencoder() {
  sharp.concurrency(1)
  const limited = pLimit(Math.min(2, backgroundCores))
  return (bytes: Buffer) => limited(() => reencode(bytes))
}
