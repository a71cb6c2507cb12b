import type { AddressInfo } from 'node:net'
import createClient from 'openapi-fetch'
import sharp from 'sharp'
import t, { type Test } from 'tap'
import type { Message } from '../src/features/chat/schemas.js'
import type { Relationship } from '../src/features/follows/schemas.js'
import type { Profile, User } from '../src/features/users/schemas.js'
import type { ErrorBody } from '../src/schemas/error.js'
import { ChatClient } from './chat-helpers.js'
import type { components, paths } from './client/schema.js'
import { imageOf } from './picture-fixtures.js'
import { buildTestApp, uniqueName } from './helper.js'

// The generated types must be the server's own: a schema changed without `npm run openapi`
// fails the type-check here, before any test runs.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
type Schemas = components['schemas']
const generatedTypesMatchTheServer: [
  Same<Schemas['User'], User>, Same<Schemas['Profile'], Profile>, Same<Schemas['Relationship'], Relationship>,
  Same<Schemas['Message'], Message>, Same<Schemas['Error'], ErrorBody>
] = [true, true, true, true, true]

const app = await buildTestApp(t)
await app.listen({ port: 0, host: '127.0.0.1' })
const { port } = app.server.address() as AddressInfo
const baseUrl = `http://127.0.0.1:${port}`

const anonymous = createClient<paths>({ baseUrl })

async function signUp(t: Test) {
  const credentials = { username: uniqueName('client'), password: 'correct horse battery' }
  const registered = await anonymous.POST('/auth/register', { body: credentials })
  if (!registered.data) throw new Error(`register: ${JSON.stringify(registered.error)}`)
  t.equal(registered.response.status, 201)
  const login = await anonymous.POST('/auth/login', { body: credentials })
  if (!login.data) throw new Error(`login: ${JSON.stringify(login.error)}`)
  t.equal(login.data.user.id, registered.data.user.id)
  t.ok(login.data.expiresIn > 0)
  const token = login.data.token
  return { user: login.data.user, token, api: createClient<paths>({ baseUrl, headers: { authorization: `Bearer ${token}` } }) }
}

t.test('a generated client drives the whole product', async (t) => {
  t.ok(generatedTypesMatchTheServer.every(Boolean))
  const alice = await signUp(t)
  const bob = await signUp(t)

  const unauthorized = await anonymous.GET('/users/me')
  t.equal(unauthorized.response.status, 401)
  t.equal(unauthorized.error?.code, 'UNAUTHORIZED')
  const nobody = await alice.api.GET('/users/{id}', { params: { path: { id: 2 ** 40 } } })
  t.equal(nobody.error?.code, 'USER_NOT_FOUND')

  const found = await alice.api.GET('/users', { params: { query: { search: bob.user.username, limit: 5 } } })
  t.same(found.data?.items.map((user) => user.id), [bob.user.id], 'alice finds bob by name')

  const follows = await alice.api.PUT('/users/{id}/follow', { params: { path: { id: bob.user.id } } })
  t.same(follows.data, { userId: bob.user.id, following: true, followedBy: false, mutual: false, blocking: false, blockedBy: false })
  await bob.api.PUT('/users/{id}/follow', { params: { path: { id: alice.user.id } } })
  const relationship = await alice.api.GET('/users/{id}/relationship', { params: { path: { id: bob.user.id } } })
  t.equal(relationship.data?.mutual, true, 'they follow each other')
  const followers = await alice.api.GET('/users/{id}/followers', { params: { path: { id: alice.user.id } } })
  t.same(followers.data?.items.map((entry) => entry.username), [bob.user.username])

  const png = await imageOf('png', 96, 64)
  const upload = await alice.api.PUT('/users/me/profile-picture', {
    body: { profilePicture: new Blob([png], { type: 'image/png' }) },
    bodySerializer: (body) => {
      const form = new FormData()
      form.append('profilePicture', body.profilePicture, 'me.png')
      return form
    },
  })
  const pictureUrl = upload.data?.profilePictureUrl
  t.match(pictureUrl, /^\/images\/[A-Za-z0-9-]+\.webp$/, 'the picture is stored under a name of the server')
  const seenByBob = await bob.api.GET('/users/{id}', { params: { path: { id: alice.user.id } } })
  t.equal(seenByBob.data?.profilePictureUrl, pictureUrl)
  t.equal(seenByBob.data?.followersCount, 1)
  const image = await anonymous.GET('/images/{file}', {
    params: { path: { file: pictureUrl?.replace('/images/', '') ?? '' } },
    parseAs: 'arrayBuffer',
  })
  t.equal(image.response.headers.get('content-type'), 'image/webp')
  const metadata = await sharp(Buffer.from(image.data ?? new ArrayBuffer(0))).metadata()
  t.same([metadata.format, metadata.width, metadata.height], ['webp', 96, 64], 'the picture decodes')

  const wsBase = `ws://127.0.0.1:${port}`
  const aliceSocket = await ChatClient.connect(`${wsBase}/chat`, { protocols: ['bearer', alice.token] })
  const bobSocket = await ChatClient.connect(`${wsBase}/chat`, { headers: { authorization: `Bearer ${bob.token}` } })
  t.teardown(() => Promise.all([aliceSocket.close(), bobSocket.close()]))

  aliceSocket.send({ type: 'message', recipientId: bob.user.id, messageText: 'hi bob', clientMessageId: 'client-1' })
  const ack = await aliceSocket.nextOf('ack')
  const delivered = await bobSocket.nextOf('message')
  t.match(ack, { senderId: alice.user.id, recipientId: bob.user.id, messageText: 'hi bob', clientMessageId: 'client-1' })
  t.same({ ...delivered, type: 'ack' }, ack, 'bob gets the message alice was acknowledged')
  bobSocket.send({ recipientId: alice.user.id, messageText: 'hi alice' })
  const reply = await aliceSocket.nextOf('message')
  await bobSocket.nextOf('ack')
  t.match(reply, { senderId: bob.user.id, messageText: 'hi alice', clientMessageId: null })

  const history = await alice.api.GET('/conversations/{userId}/messages', { params: { path: { userId: bob.user.id } } })
  t.same(history.data?.items.map((message) => message.messageText), ['hi alice', 'hi bob'], 'newest first')
  t.equal(history.data?.nextCursor, null)

  const synced: Schemas['Message'][] = []
  let cursor: string | undefined
  do {
    const page = await bob.api.GET('/messages/sync', { params: { query: { after: 0, limit: 1, cursor } } })
    if (!page.data) throw new Error(`sync: ${JSON.stringify(page.error)}`)
    synced.push(...page.data.items)
    cursor = page.data.nextCursor ?? undefined
  } while (cursor)
  t.same(synced.map((message) => message.id), [ack.id, reply.id], 'a sync one message a page sees both, oldest first')

  const unfollowed = await bob.api.DELETE('/users/{id}/follow', { params: { path: { id: alice.user.id } } })
  t.equal(unfollowed.data?.mutual, false)
  aliceSocket.send({ recipientId: bob.user.id, messageText: 'still there?', clientMessageId: 'client-2' })
  t.match(await aliceSocket.nextOf('error'), { code: 'NOT_MUTUAL_FOLLOWERS', clientMessageId: 'client-2' })
})
