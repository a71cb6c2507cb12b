import type { Readable } from 'node:stream'
import type { FastifyRequest } from 'fastify'
import { requestTimeout } from '../../plugins/receive-deadline.js'
import { FileRequired, InvalidMultipart, PayloadTooLarge, TooManyFiles, UnsupportedMediaType } from '../../errors.js'

export const PICTURE_FIELD = 'profilePicture'

/** Room for the multipart boundaries, part headers and the few small fields allowed next to the file. */
export const MULTIPART_OVERHEAD_BYTES = 64 * 1024

export const multipartLimits = (maxBytes: number) => ({
  fileSize: maxBytes,
  files: 1,
  parts: 10,
  fieldNameSize: 100,
  fieldSize: 1024,
  headerPairs: 20,
})

const tooLarge = (maxBytes: number) => new PayloadTooLarge(`the picture is over the limit of ${maxBytes} bytes`)

/** Stops reading the moment the limit is passed: busboy alone would go on reading and discarding. */
async function readLimited(file: Readable, maxBytes: number): Promise<Buffer> {
  file.once('limit', () => file.destroy(tooLarge(maxBytes)))
  const chunks: Buffer[] = []
  for await (const chunk of file) chunks.push(chunk as Buffer)
  if ((file as Readable & { truncated?: boolean }).truncated) throw tooLarge(maxBytes)
  return Buffer.concat(chunks)
}

function asClientError(error: unknown, maxBytes: number): unknown {
  const code = (error as { code?: unknown }).code
  if (code === 'FST_FILES_LIMIT') return new TooManyFiles()
  if (code === 'FST_REQ_FILE_TOO_LARGE') return tooLarge(maxBytes)
  // Busboy's own parse errors carry no status; they are the client's malformed body, not a 500.
  if ((error as { statusCode?: unknown }).statusCode === undefined) return new InvalidMultipart()
  return error
}

/** The bytes of the one file sent in the field profilePicture, if they all arrive within `withinMs`. */
export async function readPicture(request: FastifyRequest, maxBytes: number, withinMs: number): Promise<Buffer> {
  if (!request.isMultipart()) {
    if (request.headers['content-type'] === undefined) throw new FileRequired(`send the picture as multipart/form-data in the file field ${PICTURE_FIELD}`)
    throw new UnsupportedMediaType(`send multipart/form-data, not ${request.headers['content-type']}`)
  }
  let file: Readable | undefined
  const reading = (async () => {
    let picture: Buffer | undefined
    try {
      for await (const part of request.parts()) {
        if (part.type !== 'file') continue
        if (part.fieldname !== PICTURE_FIELD) throw new FileRequired(`the picture belongs in the file field ${PICTURE_FIELD}, not ${part.fieldname}`)
        file = part.file
        picture = await readLimited(part.file, maxBytes)
      }
    } catch (error) {
      throw asClientError(error, maxBytes)
    }
    if (picture === undefined) throw new FileRequired(`no file in the field ${PICTURE_FIELD}`)
    return picture
  })()
  // Busboy waits for bytes as long as they trickle in; the answer cannot.
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      const late = requestTimeout(Math.round(withinMs / 1000))
      file?.destroy(late)
      reject(late)
    }, Math.max(0, withinMs))
  })
  try {
    return await Promise.race([reading, deadline])
  } finally {
    clearTimeout(timer)
    // Once the deadline has answered, reading fails when the connection closes: nobody waits for it.
    reading.catch(() => {})
  }
}
