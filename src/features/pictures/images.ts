import fastifyStatic from '@fastify/static'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ImageNotFound } from '../../errors.js'
import { errorResponses } from '../../schemas/error.js'
import { ImageParams, NotModified, WebpImage } from './schemas.js'

interface ImagesOptions {
  dir: string
}

/** Serves the stored pictures; registered under /images. */
const images: FastifyPluginAsyncTypebox<ImagesOptions> = async (app, { dir }) => {
  await app.register(fastifyStatic, {
    root: dir,
    serve: false,
    index: false,
    list: false,
    dotfiles: 'deny',
    acceptRanges: false,
    // A name is never reused for other bytes, so caches may keep a picture forever.
    cacheControl: true,
    maxAge: '365d',
    immutable: true,
    etag: true,
    setHeaders: (reply) => {
      void reply.header('x-content-type-options', 'nosniff')
      void reply.header('content-security-policy', "default-src 'none'")
    },
  })

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
      response: { 200: WebpImage, 304: NotModified, ...errorResponses('IMAGE_NOT_FOUND') },
    },
    // A name outside the pattern cannot be a stored picture: it is a 404, not a 400.
    attachValidation: true,
  }, (request, reply) => {
    if (request.validationError) return reply.callNotFound()
    return reply.sendFile(request.params.file)
  })
}

export default images
