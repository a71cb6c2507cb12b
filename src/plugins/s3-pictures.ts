import { randomUUID } from 'node:crypto'
import type { Readable } from 'node:stream'
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3'
import type { PictureStore, StoredPicture } from './picture-storage.js'

/** The bucket, and whatever of the SDK's standard settings the environment gave (the SDK's defaults otherwise). */
export interface S3Target {
  bucket: string
  forcePathStyle: boolean
  region?: string
  endpoint?: string
  credentials?: { accessKeyId: string, secretAccessKey: string }
}

const statusOf = (error: unknown) => (error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined)

/** Pictures as objects named `<uuid>.webp`; an object is visible only once written whole. */
export function createS3PictureStore(target: S3Target): { store: PictureStore, close(): void } {
  const client = new S3Client({
    forcePathStyle: target.forcePathStyle,
    ...(target.region && { region: target.region }),
    ...(target.endpoint && { endpoint: target.endpoint }),
    ...(target.credentials && { credentials: target.credentials }),
    // An unreachable bucket must fail the upload in seconds, not hold it for the SDK's minutes.
    maxAttempts: 2,
    requestHandler: { connectionTimeout: 2000, requestTimeout: 10_000 },
    // S3-compatible servers other than AWS (MinIO, R2, s3rver) do not all take the SDK's default trailing checksums.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  })
  const Bucket = target.bucket

  const store: PictureStore = {
    async save(webp: Buffer): Promise<string> {
      const name = `${randomUUID()}.webp`
      // Served straight from the bucket or a CDN in front of it, the object carries the headers /images gives.
      await client.send(new PutObjectCommand({
        Bucket, Key: name, Body: webp, ContentType: 'image/webp', CacheControl: 'public, max-age=31536000, immutable',
      }))
      return name
    },

    async remove(name: string): Promise<void> {
      await client.send(new DeleteObjectCommand({ Bucket, Key: name }))
    },

    async read(name: string, ifNoneMatch: string | undefined): Promise<StoredPicture | null> {
      try {
        const object = await client.send(new GetObjectCommand({ Bucket, Key: name, IfNoneMatch: ifNoneMatch }))
        return { notModified: false, etag: object.ETag ?? '', length: object.ContentLength ?? 0, body: object.Body as Readable }
      } catch (error) {
        const status = statusOf(error)
        if (status === 404) return null
        // S3 names no ETag in a 304; the one the client sent is it, when it sent one.
        if (status === 304) return { notModified: true, ...(ifNoneMatch && !ifNoneMatch.includes(',') && { etag: ifNoneMatch }) }
        throw error
      }
    },
  }
  return { store, close: () => client.destroy() }
}
