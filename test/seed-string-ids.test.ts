import t from 'tap'
import { befriend, chatServer } from './chat-helpers.js'
import { register } from './helper.js'

/**
 * The Express service took `{"userId":"2"}` and `"recipientId":"4"` (Postman variables produce
 * them), so its routes and its chat frame take a decimal string of a positive integer as well
 * as the number. Nothing else that looks like a number is an id.
 */
const server = await chatServer(t)
const { app } = server
const [alice, bob, carol] = [await register(app), await register(app), await register(app)]

const notIds = ['0', '-1', '02', ' 2', '2 ', '2.0', '0x2', '+2', '1e3', 'abc', '', '9007199254740993', '٢']

t.test('POST /users/follow and /users/unfollow take the id as a decimal string', async (t) => {
  const follow = await app.inject({ method: 'POST', url: '/users/follow', headers: alice.auth, payload: { userId: String(bob.id) } })
  t.equal(follow.statusCode, 200, follow.body)
  t.same(follow.json(), { userId: bob.id, following: true, followedBy: false, mutual: false, blocking: false, blockedBy: false }, 'the answer carries the number')
  const unfollow = await app.inject({ method: 'POST', url: '/users/unfollow', headers: alice.auth, payload: { userId: String(bob.id) } })
  t.match(unfollow.json(), { userId: bob.id, following: false })
  const nobody = await app.inject({ method: 'POST', url: '/users/follow', headers: alice.auth, payload: { userId: '99999999' } })
  t.match(nobody.json(), { statusCode: 404, code: 'USER_NOT_FOUND' }, 'a string id of nobody is a 404')
  for (const userId of notIds) {
    const response = await app.inject({ method: 'POST', url: '/users/follow', headers: alice.auth, payload: { userId } })
    t.match(response.json(), { statusCode: 400, code: 'FST_ERR_VALIDATION', message: /userId/ }, `${JSON.stringify(userId)} is not an id`)
  }
})

t.test('the seed lists take ?userId= as any query string does', async (t) => {
  await app.inject({ method: 'POST', url: '/users/follow', headers: carol.auth, payload: { userId: String(bob.id) } })
  for (const path of ['getAlFollowers', 'getAllFollowings']) {
    const response = await app.inject({ url: `/users/${path}?userId=${bob.id}`, headers: alice.auth })
    t.equal(response.statusCode, 200, path)
  }
  const followers = await app.inject({ url: `/users/getAlFollowers?userId=${bob.id}`, headers: alice.auth })
  t.match(followers.json(), { items: [{ id: carol.id }] })
})

t.test('the seed chat frame takes recipientId and senderId as decimal strings', async (t) => {
  await befriend(app, alice, bob)
  const client = await server.connect(t, alice)
  client.send({ senderId: String(alice.id), recipientId: String(bob.id), messageText: 'Hello' })
  t.match(await client.nextOf('ack'), { senderId: alice.id, recipientId: bob.id, messageText: 'Hello' }, 'acknowledged with numbers')
  client.send({ senderId: String(bob.id), recipientId: String(bob.id), messageText: 'x', clientMessageId: 's-1' })
  t.match(await client.nextOf('error'), { code: 'SENDER_MISMATCH', clientMessageId: 's-1' })
  for (const recipientId of notIds) {
    client.send({ recipientId, messageText: 'x', clientMessageId: 's-2' })
    t.match(await client.nextOf('error'), { code: 'INVALID_MESSAGE', message: /recipientId/, clientMessageId: 's-2' }, `recipientId ${JSON.stringify(recipientId)}`)
  }
})

t.test('the OpenAPI document says the seed routes take either; the new routes only integers', async (t) => {
  const document = (await app.inject({ url: '/docs/json' })).json() as {
    paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { properties: Record<string, unknown> } }> } }>>
  }
  for (const path of ['/users/follow', '/users/unfollow']) {
    const userId = document.paths[path]?.post?.requestBody?.content['application/json']?.schema.properties.userId
    t.match(userId, { anyOf: [{ type: 'integer', minimum: 1 }, { type: 'string', pattern: '^[1-9][0-9]*$' }] }, `${path}: integer or decimal string`)
  }
  const operations = Object.entries(document.paths).filter(([path]) => !['/users/follow', '/users/unfollow'].includes(path))
  t.notMatch(JSON.stringify(operations), /\^\[1-9\]\[0-9\]\*\$/, 'no other route takes a string id')
})
