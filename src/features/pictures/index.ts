import multipart from '@fastify/multipart'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import type { FastifyBaseLogger, FastifyReply, FastifyRequest, RouteShorthandOptions } from 'fastify'
import type { Config } from '../../config.js'
import { PayloadTooLarge, StorageUnavailable, UserNotFound } from '../../errors.js'
import { authErrors, errors } from '../../schemas/error.js'
import { profileOf } from '../users/profiles.js'
import { createUsersRepository } from '../users/repository.js'
import { ProfileSchema } from '../users/schemas.js'
import { createReencoder } from './reencode.js'
import { createPicturesRepository } from './repository.js'
import { PictureUpload, uploadDescription, uploadResponses } from './schemas.js'
import { MULTIPART_OVERHEAD_BYTES, multipartLimits, readPicture } from './upload.js'

interface PicturesOptions {
  uploads: Config['uploads']
}

const pictures: FastifyPluginAsyncTypebox<PicturesOptions> = async (app, { uploads }) => {
  const users = createUsersRepository(app.database.db)
  const repository = createPicturesRepository(app.database.db)
  const store = app.pictureStore
  // One user may fill half the queue at most, so others still find room behind them.
  const reencode = createReencoder({ waiting: uploads.queue, waitingPerUser: Math.max(1, Math.floor(uploads.queue / 2)) })
  const security = [{ bearerAuth: [] }]

  await app.register(multipart, { limits: multipartLimits(uploads.maxBytes) })
  app.addHook('onRequest', app.authenticate)
  app.addHook('onRequest', async (request) => {
    const declared = Number(request.headers['content-length'])
    if (declared > uploads.maxBytes + MULTIPART_OVERHEAD_BYTES) {
      throw new PayloadTooLarge(`the body of ${declared} bytes is over the limit of ${uploads.maxBytes} bytes`)
    }
  })

  /** Points the row at `name`, then removes whichever file the row no longer names. */
  async function replacePicture(userId: number, name: string | null, log: FastifyBaseLogger) {
    // A picture left behind is a leak to log, not a reason to fail the request or hide its error.
    const discard = (file: string) => store.remove(file).catch((error: unknown) => log.warn({ err: error, file }, 'could not remove a picture no profile names'))
    let replaced
    try {
      replaced = await repository.replace(userId, name)
    } catch (error) {
      if (name) await discard(name)
      throw error
    }
    if (!replaced) {
      if (name) await discard(name)
      throw new UserNotFound(userId)
    }
    if (!replaced.previous || replaced.previous === name) return
    await discard(replaced.previous)
  }

  async function upload(request: FastifyRequest, reply: FastifyReply) {
    const bytes = await readPicture(request, uploads.maxBytes, uploads.timeoutMs - reply.elapsedTime)
    const webp = await reencode(request.userId, bytes)
    let name
    try {
      name = await store.save(webp)
    } catch (error) {
      // A full, read-only or missing volume, an unreachable bucket: the client can only wait, the operator must act.
      throw Object.assign(new StorageUnavailable(), { cause: error })
    }
    await replacePicture(request.userId, name, request.log)
    return profileOf(users, request.userId, app.pictureUrl)
  }

  const uploadSchema = { consumes: ['multipart/form-data'], security, body: PictureUpload, response: uploadResponses, description: uploadDescription }
  const uploadOptions = {
    // The body is a stream the handler reads under its limits; the schema above only documents it.
    validatorCompiler: () => () => true,
    config: { readsOwnBody: true },
  } satisfies RouteShorthandOptions

  app.put('/me/profile-picture', {
    ...uploadOptions,
    schema: { ...uploadSchema, operationId: 'uploadProfilePicture', summary: 'Upload or replace your profile picture', tags: ['pictures'] },
  }, upload)

  app.post('/uploadProfilePicture', {
    ...uploadOptions,
    schema: {
      ...uploadSchema,
      operationId: 'uploadProfilePictureLegacy',
      summary: 'Upload or replace your profile picture (use PUT /users/me/profile-picture)',
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
    await replacePicture(request.userId, null, request.log)
    return profileOf(users, request.userId, app.pictureUrl)
  })
}

export default pictures
