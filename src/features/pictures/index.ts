import multipart from '@fastify/multipart'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import type { FastifyReply, FastifyRequest, RouteShorthandOptions } from 'fastify'
import type { Config } from '../../config.js'
import { PayloadTooLarge, UserNotFound } from '../../errors.js'
import { authErrors, errors } from '../../schemas/error.js'
import { profileOf } from '../users/profiles.js'
import { createUsersRepository } from '../users/repository.js'
import { ProfileSchema } from '../users/schemas.js'
import { createReencoder } from './image.js'
import { createPicturesRepository } from './repository.js'
import { PictureUpload } from './schemas.js'
import { createPictureStore } from './storage.js'
import { MULTIPART_OVERHEAD_BYTES, multipartLimits, readPicture } from './upload.js'

interface PicturesOptions {
  uploads: Config['uploads']
}

const pictures: FastifyPluginAsyncTypebox<PicturesOptions> = async (app, { uploads }) => {
  const users = createUsersRepository(app.database.db)
  const repository = createPicturesRepository(app.database.db)
  const store = await createPictureStore(uploads.dir)
  const reencode = createReencoder()
  const security = [{ bearerAuth: [] }]

  await app.register(multipart, { limits: multipartLimits(uploads.maxBytes) })
  app.addHook('onRequest', app.authenticate)
  app.addHook('onRequest', async (request) => {
    const declared = Number(request.headers['content-length'])
    if (declared > uploads.maxBytes + MULTIPART_OVERHEAD_BYTES) {
      throw new PayloadTooLarge(`the body of ${declared} bytes is over the limit of ${uploads.maxBytes} bytes`)
    }
  })
  // An upload answered before it was read to the end is not drained: that would read on for
  // as long as the client cares to send.
  app.addHook('onSend', async (request, reply) => {
    if (!request.raw.complete) void reply.header('connection', 'close')
  })

  /** Points the row at `name`, then removes whichever file the row no longer names. */
  async function replacePicture(userId: number, name: string | null) {
    let replaced
    try {
      replaced = await repository.replace(userId, name)
    } catch (error) {
      if (name) await store.remove(name)
      throw error
    }
    if (!replaced) {
      if (name) await store.remove(name)
      throw new UserNotFound(userId)
    }
    if (replaced.previous && replaced.previous !== name) await store.remove(replaced.previous)
  }

  async function upload(request: FastifyRequest, reply: FastifyReply) {
    const bytes = await readPicture(request, uploads.maxBytes)
    const webp = await reencode(bytes)
    await replacePicture(request.userId, await store.save(webp))
    return reply.send(await profileOf(users, request.userId))
  }

  const uploadSchema = {
    consumes: ['multipart/form-data'],
    security,
    body: PictureUpload,
    response: {
      200: Type.Ref(ProfileSchema),
      ...authErrors,
      400: Type.Unsafe({
        ...errors.badRequest,
        description: 'No file in profilePicture (FILE_REQUIRED), an empty file (EMPTY_FILE), more than one file ' +
          '(TOO_MANY_FILES), bytes that do not decode (INVALID_IMAGE), huge pixel dimensions (TOO_MANY_PIXELS), ' +
          'a malformed multipart body (INVALID_MULTIPART)',
      }),
      404: errors.notFound,
      413: Type.Unsafe({ ...errors.tooLarge, description: 'The file is over MAX_UPLOAD_BYTES (PAYLOAD_TOO_LARGE), or too many parts (TOO_MANY_PARTS)' }),
      415: Type.Unsafe({ ...errors.unsupported, description: 'Not a JPEG, PNG, WebP, GIF or AVIF image, or not multipart/form-data (UNSUPPORTED_MEDIA_TYPE)' }),
    },
  }
  const description = 'multipart/form-data with the image in the file field profilePicture. The image is judged by its ' +
    'bytes, re-encoded as a WebP of at most 512x512 without metadata, and replaces the previous picture.'
  const uploadOptions = {
    // The body is a stream the handler reads under its limits; the schema above only documents it.
    validatorCompiler: () => () => true,
  } satisfies RouteShorthandOptions

  app.put('/me/profile-picture', {
    ...uploadOptions,
    schema: { ...uploadSchema, operationId: 'uploadProfilePicture', summary: 'Upload or replace your profile picture', description, tags: ['pictures'] },
  }, upload)

  app.post('/uploadProfilePicture', {
    ...uploadOptions,
    schema: {
      ...uploadSchema,
      operationId: 'uploadProfilePictureLegacy',
      summary: 'Upload or replace your profile picture (use PUT /users/me/profile-picture)',
      description,
      tags: ['legacy'],
      deprecated: true,
    },
  }, upload)

  app.delete('/me/profile-picture', {
    schema: {
      operationId: 'deleteProfilePicture',
      summary: 'Remove your profile picture',
      description: 'Answers the profile with profilePictureUrl null, also when there was no picture.',
      tags: ['pictures'],
      security,
      response: { 200: Type.Ref(ProfileSchema), 404: errors.notFound, ...authErrors },
    },
  }, async (request) => {
    await replacePicture(request.userId, null)
    return profileOf(users, request.userId)
  })
}

export default pictures
