import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3'
import S3rver from 's3rver'
import tap from 'tap'
import { freePort, tempDir } from './helper.js'
import { filesIn } from './picture-fixtures.js'

type Test = { teardown(fn: () => unknown): void }

/**
 * The picture suite runs against each store: the local directory by default, a real
 * S3-compatible server (s3rver, path-style, its fixed credentials) when a test/s3-*.test.ts
 * file asked for it before importing the suite.
 */
let kind: 'disk' | 's3' = 'disk'
export const useS3 = () => { kind = 's3' }
export const storeKind = () => kind

export interface PictureStoreUnderTest {
  /** The app's configuration for this store. */
  env: Record<string, string>
  /** Every name stored, temp files included. */
  names(): Promise<string[]>
  read(name: string): Promise<Buffer>
  /** Puts bytes under a name of the test's choosing, beside the app's pictures. */
  plant(name: string, data: string): Promise<void>
}

export interface S3Server {
  port: number
  endpoint: string
  client: S3Client
  env(bucket: string): Record<string, string>
  createBucket(): Promise<string>
  stop(): Promise<void>
  start(): Promise<void>
}

/** An s3rver of the test's own on a free port, its data in a temp directory. */
export async function startS3(t: Test): Promise<S3Server> {
  const port = await freePort()
  const directory = tempDir(t)
  const endpoint = `http://127.0.0.1:${port}`
  let server: S3rver | undefined
  const start = async () => {
    if (server) return
    server = new S3rver({ port, address: '127.0.0.1', silent: true, directory })
    await server.run()
  }
  const stop = async () => {
    await server?.close()
    server = undefined
  }
  await start()
  t.teardown(stop)
  const client = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } })
  t.teardown(() => client.destroy())
  let buckets = 0
  return {
    port, endpoint, client, start, stop,
    env: (bucket) => ({
      S3_BUCKET: bucket, S3_FORCE_PATH_STYLE: 'true', AWS_ENDPOINT_URL_S3: endpoint, AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER',
    }),
    async createBucket() {
      const bucket = `pictures-${process.pid}-${++buckets}`
      await client.send(new CreateBucketCommand({ Bucket: bucket }))
      return bucket
    },
  }
}

export async function objectsIn(client: S3Client, bucket: string): Promise<string[]> {
  const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket }))
  return (listed.Contents ?? []).map((object) => object.Key ?? '').sort()
}

export async function objectOf(client: S3Client, bucket: string, name: string) {
  const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: name }))
  return { ...object, bytes: Buffer.from(await object.Body!.transformToByteArray()) }
}

export const headObject = (client: S3Client, bucket: string, name: string) => client.send(new HeadObjectCommand({ Bucket: bucket, Key: name }))

let s3: Promise<S3Server> | undefined
/** UPLOAD_DIR given to apps on S3: the store must never create, let alone write, it. */
const untouchedDirs: string[] = []

/** A fresh store for one app: a new directory, or a new bucket on the file's s3rver. */
export async function pictureStore(t: Test): Promise<PictureStoreUnderTest> {
  if (kind === 'disk') {
    const dir = tempDir(t)
    return {
      env: { UPLOAD_DIR: dir },
      names: async () => filesIn(dir),
      read: async (name) => readFileSync(join(dir, name)),
      plant: async (name, data) => writeFileSync(join(dir, name), data),
    }
  }
  s3 ??= startS3(tap)
  const server = await s3
  const bucket = await server.createBucket()
  const localDir = join(tempDir(t), 'images')
  untouchedDirs.push(localDir)
  return {
    env: { ...server.env(bucket), UPLOAD_DIR: localDir },
    names: () => objectsIn(server.client, bucket),
    read: async (name) => (await objectOf(server.client, bucket, name)).bytes,
    plant: async (name, data) => {
      await server.client.send(new PutObjectCommand({ Bucket: bucket, Key: name, Body: data }))
    },
  }
}

/** Queued by the S3 wrappers after the suite: no app on S3 wrote to a local directory. */
export function checkNothingOnDisk() {
  tap.test('with S3_BUCKET set, nothing is written to local disk', async (t) => {
    t.ok(untouchedDirs.length > 0, 'the suite built apps on S3')
    t.same(untouchedDirs.filter((dir) => existsSync(dir)), [], 'no UPLOAD_DIR was created')
  })
}
