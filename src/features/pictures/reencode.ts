import { fileTypeFromBuffer } from 'file-type'
import sharp from 'sharp'
import { backgroundCores } from '../../cpu.js'
import { EmptyFile, ImageTooComplex, InvalidImage, TooManyPixels, UnsupportedMediaType } from '../../errors.js'
import { jpegScans } from './jpeg-scans.js'
import { createReencodeQueue, type QueueBounds } from './reencode-queue.js'

// An animated PNG is still a PNG; file-type names it apart.
export const ACCEPTED_TYPES = ['image/jpeg', 'image/png', 'image/apng', 'image/webp', 'image/gif', 'image/avif']
export const MAX_SIDE = 512
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
/** Enough for a 48-megapixel phone photo; anything larger is treated as a decompression bomb. */
export const MAX_INPUT_PIXELS = 50_000_000
/** A progressive JPEG has 10 scans or so; a decoder passes over every pixel once per scan. */
export const MAX_JPEG_SCANS = 100
/** Scans times pixels: a 48-megapixel photo of 12 scans still decodes, 883 scans of 7000x7000 do not. */
export const MAX_JPEG_SCAN_PIXELS = 12 * MAX_INPUT_PIXELS
/** Whatever else makes an image slow to decode (a format this code does not inspect) ends here. */
export const REENCODE_TIMEOUT_SECONDS = 20

/** The image type told by the bytes themselves; the client's name and content type are never asked. */
async function imageTypeOf(bytes: Buffer): Promise<string> {
  if (bytes.length === 0) throw new EmptyFile()
  const type = await fileTypeFromBuffer(bytes)
  // A PNG signature with nothing readable after it claims to be a PNG: a broken one, not another type.
  if (!type && bytes.subarray(0, PNG_SIGNATURE.length).equals(PNG_SIGNATURE)) throw new InvalidImage('png')
  if (!type || !ACCEPTED_TYPES.includes(type.mime)) {
    throw new UnsupportedMediaType(`${type ? type.mime : 'this file'} is not accepted; send a JPEG, PNG, WebP, GIF or AVIF image`)
  }
  return type.ext
}

const isPixelLimitError = (error: unknown) => error instanceof Error && /pixel limit/i.test(error.message)
const isTimeout = (error: unknown) => error instanceof Error && /timeout/i.test(error.message)

function refuseCostlyJpeg(bytes: Buffer, width: number, height: number) {
  const scans = jpegScans(bytes)
  if (scans > MAX_JPEG_SCANS || scans * width * height > MAX_JPEG_SCAN_PIXELS) {
    throw new ImageTooComplex(`the JPEG has ${scans} scans of ${width}x${height} pixels; at most ${MAX_JPEG_SCANS} scans and ${MAX_JPEG_SCAN_PIXELS} scanned pixels are accepted`)
  }
}

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
    if (type === 'jpg') refuseCostlyJpeg(bytes, width, height)
    return await input()
      .autoOrient()
      .resize(MAX_SIDE, MAX_SIDE, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 82 })
      .timeout({ seconds: REENCODE_TIMEOUT_SECONDS })
      .toBuffer()
  } catch (error) {
    if (error instanceof TooManyPixels || error instanceof ImageTooComplex) throw error
    if (isTimeout(error)) throw new ImageTooComplex(`the image took over ${REENCODE_TIMEOUT_SECONDS} seconds to decode`)
    if (isPixelLimitError(error)) throw new TooManyPixels(`at most ${MAX_INPUT_PIXELS} pixels are accepted`)
    throw new InvalidImage(type)
  }
}

/**
 * Re-encoding runs on libuv worker threads, never on the event loop, but CPU time is shared:
 * each re-encode gets one libvips thread and at most one core fewer than the machine has run at
 * once, so a core is always left for answering requests (measured by bench/upload.ts). Users
 * take turns (reencode-queue.ts).
 */
export function createReencoder(bounds: Omit<QueueBounds, 'slots'>) {
  sharp.concurrency(1)
  const inTurn = createReencodeQueue({ slots: Math.min(2, backgroundCores), ...bounds })
  return (userId: number, bytes: Buffer) => inTurn(userId, () => reencode(bytes))
}
