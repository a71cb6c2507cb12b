/**
 * The p99 of a cheap authenticated GET (/users/me) with and without pictures being uploaded
 * continuously. Re-encoding runs off the event loop with bounded concurrency, so the GET should
 * barely notice: the ratio is the claim. Windows without and with uploads alternate, and each
 * figure is the median over the rounds, so a neighbour's load drifting during the run does not
 * land on one side only.
 *   npx tsx bench/upload.ts   (PGlite in memory; DATABASE_URL: a server to create a scratch database on)
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { api, freshDatabase, load, ratio, startService, type LoadResult } from './lib.js'

const UPLOADERS = Number(process.env.UPLOADERS ?? 4)
const ROUNDS = Number(process.env.ROUNDS ?? 3)
const SECONDS = Number(process.env.SECONDS ?? 4)

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number
const medianOf = (results: LoadResult[]): LoadResult => ({
  requestsPerSecond: median(results.map((result) => result.requestsPerSecond)),
  p50: median(results.map((result) => result.p50)),
  p99: median(results.map((result) => result.p99)),
  errors: results.reduce((sum, result) => sum + result.errors, 0),
  non2xx: results.reduce((sum, result) => sum + result.non2xx, 0),
})

/** A 1920x1080 photo-like JPEG (about 2 megapixels) with detail everywhere, so it does not compress to nothing. */
async function photo(): Promise<Buffer> {
  const width = 1920
  const height = 1080
  const pixels = Buffer.alloc(width * height * 3)
  for (let i = 0; i < pixels.length; i++) pixels[i] = ((i * 2654435761) >>> 24) ^ ((i / 3 / width) & 0xff)
  return sharp(pixels, { raw: { width, height, channels: 3 } }).jpeg({ quality: 85 }).toBuffer()
}

function form(image: Buffer) {
  const boundary = '----bench-upload'
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="profilePicture"; filename="photo.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`),
    image,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ])
  return { body, contentType: `multipart/form-data; boundary=${boundary}` }
}

const uploadDir = mkdtempSync(join(tmpdir(), 'bench-upload-'))
const database = process.env.DATABASE_URL ? await freshDatabase('bench_upload') : undefined
const service = await startService({
  DATABASE_URL: database?.url ?? 'memory://',
  UPLOAD_DIR: uploadDir,
  DATA_DIR: join(uploadDir, 'data'),
  MAX_UPLOAD_BYTES: String(16 * 1024 * 1024),
})
try {
  const reader = await api<{ token: string }>(service.base, 'POST', '/auth/register', { username: 'reader', password: 'password123' })
  const uploaders = await Promise.all(Array.from({ length: UPLOADERS }, (_, i) =>
    api<{ token: string }>(service.base, 'POST', '/auth/register', { username: `uploader${i}`, password: 'password123' })))
  const image = await photo()
  const { body, contentType } = form(image)

  const url = `${service.base}/users/me`
  const headers = { authorization: `Bearer ${reader.token}` }
  let reencoded = 0
  let failed = 0
  let uploadingSeconds = 0

  /** The GET's latency while every uploader sends its picture again as soon as the last one is answered. */
  async function whileUploading(): Promise<LoadResult> {
    let uploading = true
    const loops = uploaders.map(async ({ token }) => {
      while (uploading) {
        const response = await fetch(`${service.base}/users/me/profile-picture`, {
          method: 'PUT', body, headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
        })
        await response.arrayBuffer()
        if (response.ok) reencoded++
        else failed++
      }
    })
    const started = performance.now()
    try {
      return await load({ url, headers, duration: SECONDS })
    } finally {
      uploading = false
      uploadingSeconds += (performance.now() - started) / 1000
      await Promise.all(loops)
    }
  }

  await load({ url, headers, duration: 1 })
  const alone: LoadResult[] = []
  const uploading: LoadResult[] = []
  for (let round = 0; round < ROUNDS; round++) {
    alone.push(await load({ url, headers, duration: SECONDS }))
    uploading.push(await whileUploading())
  }
  const baseline = medianOf(alone)
  const loaded = medianOf(uploading)

  const picturesPerSecond = Math.round((reencoded / uploadingSeconds) * 10) / 10
  console.log(`upload: GET /users/me, 10 connections, ${ROUNDS} rounds of ${SECONDS} s alone then ${SECONDS} s beside ${UPLOADERS} uploaders of a ${(image.length / 1024).toFixed(0)} KiB 1920x1080 JPEG; medians`)
  console.table({ 'GET alone': baseline, 'GET while uploading': loaded })
  console.log(`rounds (p99 ms, alone / uploading): ${alone.map((result, i) => `${result.p99}/${uploading[i]?.p99}`).join(', ')}`)
  console.log(`pictures re-encoded: ${reencoded} (${picturesPerSecond}/s), failed uploads: ${failed}`)
  console.log(`with / without uploads: p50 ${ratio(loaded.p50, baseline.p50)}, p99 ${ratio(loaded.p99, baseline.p99)}, requests/s ${ratio(loaded.requestsPerSecond, baseline.requestsPerSecond)}`)
  console.log(JSON.stringify({
    scenario: 'upload', uploaders: UPLOADERS, rounds: ROUNDS, seconds: SECONDS, imageBytes: image.length, reencoded, picturesPerSecond, failed,
    baseline, loaded, p50Ratio: ratio(loaded.p50, baseline.p50), p99Ratio: ratio(loaded.p99, baseline.p99),
  }))
} finally {
  await service.stop()
  await database?.drop()
  rmSync(uploadDir, { recursive: true, force: true })
}
