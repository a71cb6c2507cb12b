import t from 'tap'
import { befriend, chatPair, chatServer } from './chat-helpers.js'
import { register } from './helper.js'

const server = await chatServer(t)
const { app } = server
type Account = Awaited<ReturnType<typeof register>>
const as = (user: Account, method: 'GET' | 'PUT' | 'DELETE' | 'POST', url: string, payload?: object) =>
  app.inject({ method, url, headers: user.auth, ...(payload && { payload }) })
const relationship = async (from: Account, to: Account) => (await as(from, 'GET', `/users/${to.id}/relationship`)).json()

t.test('a block removes the follows both ways and shows on both sides', async (t) => {
  const [ann, ben] = [await register(app), await register(app)]
  await befriend(app, ann, ben)
  const blocked = await as(ann, 'PUT', `/users/${ben.id}/block`)
  t.equal(blocked.statusCode, 200)
  t.same(blocked.json(), { userId: ben.id, following: false, followedBy: false, mutual: false, blocking: true, blockedBy: false })
  t.same(await relationship(ben, ann), { userId: ann.id, following: false, followedBy: false, mutual: false, blocking: false, blockedBy: true })
  t.same((await as(ann, 'PUT', `/users/${ben.id}/block`)).json(), blocked.json(), 'idempotent')
  t.equal((await as(ann, 'GET', `/users/${ann.id}/followers`)).json().items.length, 0)
  t.equal((await as(ann, 'GET', `/users/${ann.id}/following`)).json().items.length, 0)
})

t.test('while either blocks the other, following is 403 BLOCKED both ways, the old route too', async (t) => {
  const [ann, ben] = [await register(app), await register(app)]
  await as(ann, 'PUT', `/users/${ben.id}/block`)
  for (const [from, to] of [[ann, ben], [ben, ann]] as const) {
    const refused = await as(from, 'PUT', `/users/${to.id}/follow`)
    t.equal(refused.statusCode, 403)
    t.same(refused.json(), { statusCode: 403, code: 'BLOCKED', error: 'Forbidden', message: `you and user ${to.id} cannot follow each other: one blocks the other` })
    const legacy = await as(from, 'POST', '/users/follow', { userId: to.id })
    t.equal(legacy.statusCode, 403)
    t.equal(legacy.json().code, 'BLOCKED')
  }
  t.equal((await as(ann, 'GET', `/users/${ann.id}/followers`)).json().items.length, 0, 'no follow row was made')

  const unblocked = await as(ann, 'DELETE', `/users/${ben.id}/block`)
  t.same(unblocked.json(), { userId: ben.id, following: false, followedBy: false, mutual: false, blocking: false, blockedBy: false }, 'the follows stay removed')
  t.same((await as(ann, 'DELETE', `/users/${ben.id}/block`)).json(), unblocked.json(), 'unblocking is idempotent')
  t.equal((await as(ben, 'PUT', `/users/${ann.id}/follow`)).statusCode, 200, 'following works again')
})

t.test('bad targets', async (t) => {
  const ann = await register(app)
  const self = await as(ann, 'PUT', `/users/${ann.id}/block`)
  t.equal(self.statusCode, 400)
  t.equal(self.json().code, 'CANNOT_BLOCK_SELF')
  for (const method of ['PUT', 'DELETE'] as const) {
    const nobody = await as(ann, method, '/users/987654321/block')
    t.equal(nobody.statusCode, 404, method)
    t.equal(nobody.json().code, 'USER_NOT_FOUND')
    const malformed = await as(ann, method, '/users/abc/block')
    t.equal(malformed.statusCode, 400)
    t.match(malformed.json().message, /params\/id/)
  }
})

t.test('a block ends chat at once; the history stays readable', async (t) => {
  const { alice: ann, bob: ben } = await chatPair(t, { server })
  const [annClient, benClient] = [ann.client, ben.client]
  annClient.send({ recipientId: ben.id, messageText: 'before the block', clientMessageId: 'c-1' })
  await annClient.nextOf('ack')
  await benClient.nextOf('message')

  await as(ben, 'PUT', `/users/${ann.id}/block`)
  annClient.send({ recipientId: ben.id, messageText: 'after the block', clientMessageId: 'c-2' })
  t.match(await annClient.nextOf('error'), { code: 'NOT_MUTUAL_FOLLOWERS', clientMessageId: 'c-2' })
  benClient.send({ recipientId: ann.id, messageText: 'nor back' })
  t.match(await benClient.nextOf('error'), { code: 'NOT_MUTUAL_FOLLOWERS' })

  for (const [reader, other] of [[ann, ben], [ben, ann]] as const) {
    const history = await as(reader, 'GET', `/conversations/${other.id}/messages`)
    t.same(history.json().items.map((message: { messageText: string }) => message.messageText), ['before the block'])
  }
})

t.test('GET /users/me/blocks: a page of users with blockedAt, newest block first', async (t) => {
  const ann = await register(app)
  const others = [await register(app), await register(app), await register(app)]
  for (const other of others) await as(ann, 'PUT', `/users/${other.id}/block`)
  const first = await as(ann, 'GET', '/users/me/blocks?limit=2')
  t.equal(first.statusCode, 200)
  const page = first.json()
  t.same(page.items.map((item: { id: number }) => item.id), [others[2]!.id, others[1]!.id])
  t.same(Object.keys(page.items[0]).sort(), ['blockedAt', 'createdAt', 'id', 'profilePictureUrl', 'username'])
  const second = (await as(ann, 'GET', `/users/me/blocks?limit=2&cursor=${page.nextCursor}`)).json()
  t.same(second.items.map((item: { id: number }) => item.id), [others[0]!.id])
  t.equal(second.nextCursor, null)
  t.same((await as(others[0]!, 'GET', '/users/me/blocks')).json(), { items: [], nextCursor: null }, 'only those the caller blocks')
  const foreign = await as(others[0]!, 'GET', `/users/me/blocks?cursor=${page.nextCursor}`)
  t.equal(foreign.json().code, 'INVALID_CURSOR')
})
