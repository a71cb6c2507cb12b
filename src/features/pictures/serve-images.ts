import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ImageNotFound, StorageUnavailable } from '../../errors.js'
import { errorResponses } from '../../schemas/error.js'
import { ImageParams, NotModified, WebpImage } from './schemas.js'

/** Serves the stored pictures, from whichever store holds them; registered under /images. */
const images: FastifyPluginAsyncTypebox = async (app) => {
  // Every other path under /images, traversal attempts included, is simply an unknown image.
  app.setNotFoundHandler((request) => {
    throw new ImageNotFound(request.url.split('?')[0])
  })

  app.get('/:file', {
    schema: {
      operationId: 'getImage',
      summary: 'A profile picture, at the URL given by profilePictureUrl',
      description: 'Public, cacheable forever (the name changes when the picture does); If-None-Match gives 304.',
      tags: ['pictures'],
      params: ImageParams,
      response: { 200: WebpImage, 304: NotModified, ...errorResponses('IMAGE_NOT_FOUND', 'STORAGE_UNAVAILABLE') },
    },
    // A name outside the pattern cannot be a stored picture: it is a 404, not a 400.
    attachValidation: true,
  }, async (request, reply) => {
    if (request.validationError) return reply.callNotFound()
    let picture
    try {
      picture = await app.pictureStore.read(request.params.file, request.headers['if-none-match'])
    } catch (error) {
      throw Object.assign(new StorageUnavailable(), { cause: error })
    }
    if (!picture) return reply.callNotFound()
    // A name is never reused for other bytes, so caches may keep a picture forever.
    void reply.header('cache-control', 'public, max-age=31536000, immutable')
    void reply.header('x-content-type-options', 'nosniff')
    void reply.header('content-security-policy', "default-src 'none'")
    if (picture.etag) void reply.header('etag', picture.etag)
    if (picture.notModified) return reply.code(304).send()
    return reply.type('image/webp').header('content-length', picture.length).send(picture.body)
  })
}

export default images
