import { randomBytes } from 'node:crypto'
import t from 'tap'
import { Redis } from 'ioredis'
import { chatPair } from './chat-helpers.js'
import { redisMissing } from './redis-helpers.js'

// Two deployments (each its own database, so their users have the same ids) on one Redis,
// told apart by REDIS_PREFIX only: nothing one does may reach or limit the other.

t.test('two deployments on one Redis share no message, lockout or limit', { skip: redisMissing && 'redis-server is not installed' }, async (t) => {
  const run = randomBytes(4).toString('hex')
  const deployment = async (name: string) => {
    const prefix = `deploy-${name}-${run}`
    // Sockets through injectWS: the deployments meet in Redis, not on the network.
    const { app, alice, bob } = await chatPair(t, {
      env: {
        REDIS_URL: 'redis://127.0.0.1:6379', REDIS_PREFIX: prefix,
        RATE_LIMIT_LOGIN: '2/15m', RATE_LIMIT_REGISTER: '2/15m', CHAT_RATE_LIMIT: '1/1h',
      },
    })
    return { app, prefix, alice, bob }
  }
  const one = await deployment('one')
  const two = await deployment('two')
  t.same([one.alice.id, one.bob.id], [two.alice.id, two.bob.id], 'the same ids in both')

  const [bobOnOne, bobOnTwo, aliceOnOne, aliceOnTwo] = [one.bob.client, two.bob.client, one.alice.client, two.alice.client]

  // A burst is twice the rate: two messages each, the same on both deployments.
  for (const [client, text] of [[aliceOnOne, 'for bob on one'], [aliceOnTwo, 'for bob on two']] as const) {
    for (let i = 0; i < 2; i++) {
      client.send({ recipientId: one.bob.id, messageText: `${text} ${i}` })
      t.match(await client.nextOf('ack'), { messageText: `${text} ${i}` }, `${text} ${i}: within its own deployment's limit`)
    }
  }
  for (const [client, text] of [[bobOnOne, 'for bob on one'], [bobOnTwo, 'for bob on two']] as const) {
    t.match(await client.nextOf('message'), { messageText: `${text} 0` })
    t.match(await client.nextOf('message'), { messageText: `${text} 1` })
  }
  aliceOnOne.send({ recipientId: one.bob.id, messageText: 'over the limit' })
  t.match(await aliceOnOne.nextOf('error'), { code: 'RATE_LIMITED' }, 'the limit still holds within one deployment')
  await new Promise((resolve) => setTimeout(resolve, 300))
  t.same([bobOnOne.frames, bobOnTwo.frames], [[], []], "neither bob received the other deployment's messages")

  const login = (app: typeof one.app, username: string, password: string) =>
    app.inject({ method: 'POST', url: '/auth/login', payload: { username, password } })
  for (let i = 0; i < 2; i++) t.equal((await login(one.app, one.alice.username, 'wrong-password')).statusCode, 401)
  t.equal((await login(one.app, one.alice.username, one.alice.password)).statusCode, 429, 'alice is locked out on one')
  t.equal((await login(two.app, two.alice.username, two.alice.password)).statusCode, 200, 'and not on two, under the same name')

  const registration = (app: typeof one.app) => app.inject({ method: 'POST', url: '/auth/register', payload: { username: `carol_${run}`, password: 'password123' } })
  t.equal((await registration(one.app)).statusCode, 429, 'one has used its registrations (alice and bob)')
  t.equal((await registration(two.app)).statusCode, 429, 'and so has two, on its own count')
  const redis = new Redis('redis://127.0.0.1:6379')
  t.teardown(() => redis.quit())
  for (const { prefix } of [one, two]) {
    const keys = await redis.keys(`${prefix}:*`)
    t.ok(keys.some((key) => key.startsWith(`${prefix}:rate-limit:`)), `${prefix}: the registration limit is under the prefix`)
    t.ok(keys.some((key) => key.startsWith(`${prefix}:chat-limit:`)), `${prefix}: the chat limit is under the prefix`)
    t.same(keys.filter((key) => key.includes('undefined')), [], 'no key names an undefined route')
    await redis.del(...keys)
  }
})
