import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { authErrors, errors } from '../../schemas/error.js'
import { UserIdParams } from '../../schemas/ids.js'
import { Page, PageQuery, toPage } from '../../schemas/pagination.js'
import { ownProfileOf, profileOf } from './profiles.js'
import { createUsersRepository } from './repository.js'
import { ProfileSchema, UserSchema, toUser } from './schemas.js'

const DirectoryQuery = Type.Composite([PageQuery, Type.Object({
  search: Type.Optional(Type.String({
    minLength: 1, maxLength: 30, pattern: '^[A-Za-z0-9_.]+$',
    description: 'Username prefix, matched ignoring case; _ and . match themselves',
  })),
})], { additionalProperties: false })

const users: FastifyPluginAsyncTypebox = async (app) => {
  const repository = createUsersRepository(app.database.db)
  const security = [{ bearerAuth: [] }]
  app.addHook('onRequest', app.authenticate)

  app.get('/me', {
    schema: {
      operationId: 'getMe',
      summary: "The caller's own profile",
      description: 'The Profile of the user the bearer token names, with follower and following counts.',
      tags: ['users'],
      security,
      response: { 200: Type.Ref(ProfileSchema), ...authErrors },
    },
  }, (request) => ownProfileOf(repository, request.userId, app.pictureUrl))

  app.get('/:id', {
    schema: {
      operationId: 'getUser',
      summary: "A user's profile, with follower and following counts",
      description: 'Any user may read any profile; an id of nobody is 404 USER_NOT_FOUND.',
      tags: ['users'],
      security,
      params: UserIdParams,
      response: { 200: Type.Ref(ProfileSchema), 404: errors.notFound, ...authErrors },
    },
  }, (request) => profileOf(repository, request.params.id, app.pictureUrl))

  const cursorScope = (search: string | undefined) => `users:${search?.toLowerCase() ?? ''}`

  app.get('/', {
    schema: {
      operationId: 'listUsers',
      summary: 'The user directory, alphabetical, optionally filtered by username prefix',
      description: 'A page of users ordered by username; follow nextCursor for the next page.',
      tags: ['users'],
      security,
      querystring: DirectoryQuery,
      response: { 200: Page(Type.Ref(UserSchema), 'A page of users'), ...authErrors },
    },
  }, async (request) => {
    const { search, limit, cursor } = request.query
    const scope = cursorScope(search)
    const after = cursor === undefined ? undefined : app.cursors.decode(scope, cursor, Type.String())
    const rows = await repository.directory(search, limit + 1, after)
    return toPage(rows, limit, (row) => toUser(row, app.pictureUrl), (row) => app.cursors.encode(scope, row.key))
  })
}

export default users
