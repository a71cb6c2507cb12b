import { randomBytes } from 'node:crypto'
import { readdirSync } from 'node:fs'
import { connect } from 'node:net'
import sharp, { type Sharp } from 'sharp'
import type { App } from '../src/app.js'

export type Format = 'jpeg' | 'png' | 'webp' | 'gif' | 'avif'

/** A real image with some detail in it, so every encoder has something to compress. */
export async function imageOf(format: Format, width = 64, height = 48, edit = (image: Sharp) => image): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3)
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 7 + (i % width) * 3) & 0xff
  return edit(sharp(pixels, { raw: { width, height, channels: 3 } })).toFormat(format).toBuffer()
}

export interface Part {
  field: string
  filename?: string
  contentType?: string
  data: Buffer | string
}

/** A multipart/form-data body built by hand, so tests control every byte the server gets. */
export function multipart(parts: Part[]) {
  const boundary = `----picture-test-${randomBytes(8).toString('hex')}`
  const chunks: Buffer[] = []
  for (const part of parts) {
    const disposition = part.filename === undefined
      ? `form-data; name="${part.field}"`
      : `form-data; name="${part.field}"; filename="${part.filename}"`
    const type = part.filename === undefined ? '' : `Content-Type: ${part.contentType ?? 'application/octet-stream'}\r\n`
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${type}\r\n`), Buffer.from(part.data), Buffer.from('\r\n'))
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`))
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } }
}

export const picturePart = (data: Buffer | string, filename = 'me.jpg', contentType = 'image/jpeg'): Part =>
  ({ field: 'profilePicture', filename, contentType, data })

export function upload(app: App, auth: Record<string, string>, parts: Part[], url = '/users/me/profile-picture', method: 'PUT' | 'POST' = 'PUT') {
  const { payload, headers } = multipart(parts)
  return app.inject({ method, url, payload, headers: { ...auth, ...headers } })
}

/** Every file in the upload directory, temp files included. */
export const filesIn = (dir: string) => readdirSync(dir).sort()

/** One request written byte for byte on a fresh socket (no client normalises the path); answers the raw response. */
export function rawRequest(port: number, head: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(head))
    let response = ''
    socket.setEncoding('latin1')
    socket.on('data', (chunk) => { response += chunk })
    socket.on('end', () => resolve(response))
    socket.on('error', reject)
  })
}

export const statusOf = (response: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1])
export const bodyOf = (response: string) => JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4)) as unknown

const crc32 = (bytes: Buffer) => {
  let crc = ~0
  for (const byte of bytes) {
    crc ^= byte
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1))
  }
  return ~crc >>> 0
}
/** A PNG chunk: length, type, data and the CRC that decoders check. */
export const pngChunk = (type: string, data: Buffer) => {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
  const length = Buffer.alloc(4)
  length.writeUInt32BE(data.length)
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([length, body, crc])
}
