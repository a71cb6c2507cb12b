import type { Readable } from 'node:stream'
import fp from 'fastify-plugin'
import { createDiskPictureStore } from './disk-pictures.js'
import { createS3PictureStore, type S3Target } from './s3-pictures.js'

/** A stored picture as it is served: its bytes, or only its ETag when the client has them already. */
export type StoredPicture =
  | { notModified: false, etag: string, length: number, body: Readable }
  | { notModified: true, etag?: string }

/**
 * Where pictures live: a directory, or an S3-compatible bucket. Names are chosen by the store,
 * and a name is never reused for other bytes. Errors thrown are the storage being unusable.
 */
export interface PictureStore {
  /** Stores the whole picture under a new name, or nothing. */
  save(webp: Buffer): Promise<string>
  /** Removes a picture; a name that is not stored is no error. */
  remove(name: string): Promise<void>
  /** The picture named, null when there is none. */
  read(name: string, ifNoneMatch: string | undefined): Promise<StoredPicture | null>
}

export type PictureStoreTarget = { dir: string } | { s3: S3Target }

declare module 'fastify' {
  interface FastifyInstance {
    pictureStore: PictureStore
    /** The profilePictureUrl of a stored picture. */
    pictureUrl(name: string): string
  }
}

export default fp<{ target: PictureStoreTarget, publicBaseUrl: string }>(async function pictureStorage(app, { target, publicBaseUrl }) {
  if ('dir' in target) {
    app.decorate('pictureStore', await createDiskPictureStore(target.dir))
  } else {
    const { store, close } = createS3PictureStore(target.s3)
    app.decorate('pictureStore', store)
    app.addHook('onClose', close)
  }
  app.decorate('pictureUrl', (name: string) => `${publicBaseUrl}${name}`)
}, { name: 'picture-storage' })
