import t from 'tap'
import { Redis } from 'ioredis'
import WebSocket from 'ws'
import { ChatClient, chatPair, listen } from './chat-helpers.js'
import { buildTestApp, freePort, register, uniqueName } from './helper.js'
import { redisMissing, startRedis } from './redis-helpers.js'

// The limits' scripts go through ioredis defineCommand, which loads a script again when Redis
// answers NOSCRIPT (after a restart or a SCRIPT FLUSH); a failed call would fall back to
// per-process counting, which these two apps would tell apart.
t.test('limits counted in Redis, also after Redis forgot the scripts', { skip: redisMissing && 'redis-server is not installed' }, async (t) => {
  const port = await freePort()
  await startRedis(t, port)
  const env = { REDIS_URL: `redis://127.0.0.1:${port}`, RATE_LIMIT_REGISTER: '2/1h', CHAT_RATE_LIMIT: '1/1h' }
  const [a, b] = [await buildTestApp(t, env), await buildTestApp(t, env)]
  const redis = new Redis(port, '127.0.0.1')
  t.teardown(() => redis.disconnect())

  const registrations = async (address: string) => {
    const codes = []
    for (const app of [a, b, a]) {
      codes.push((await app.inject({
        method: 'POST', url: '/auth/register', payload: { username: uniqueName(), password: 'password123' }, remoteAddress: address,
      })).statusCode)
    }
    return codes
  }

  t.test('registrations from one address on two processes meet one limit, under the key the plugin used', async (t) => {
    t.same(await registrations('203.0.113.21'), [201, 201, 429])
    t.same(await redis.keys('social-api:rate-limit:POST/auth/register-203.0.113.21'), ['social-api:rate-limit:POST/auth/register-203.0.113.21'])
    t.ok(await redis.pttl('social-api:rate-limit:POST/auth/register-203.0.113.21') > 3_500_000, 'the window is the route\'s hour')
    await redis.script('FLUSH')
    t.same(await registrations('203.0.113.22'), [201, 201, 429], 'after SCRIPT FLUSH')
  })

  t.test('a chat upgrade reads the failed-upgrade count from Redis without counting itself', async (t) => {
    const app = await buildTestApp(t, { ...env, RATE_LIMIT_REGISTER: '0', CHAT_UPGRADE_FAILURES: '2/1h' })
    const user = await register(app)
    const base = `${await listen(app)}/chat`
    for (let i = 0; i < 3; i++) {
      const client = await ChatClient.connect(base, { token: user.token })
      client.socket.terminate()
    }
    t.pass('three upgrades with a valid token, none refused')
    const refused = await new Promise<number>((resolve, reject) => {
      const socket = new WebSocket(base, { headers: { authorization: 'Bearer not-a-token' } })
      socket.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0))
      socket.once('open', () => reject(new Error('a socket opened with a forged token')))
    })
    t.equal(refused, 401)
    const [counted] = await redis.keys('social-api:rate-limit:*chat-upgrade:*')
    t.equal(counted && await redis.get(counted), '1', 'the failed upgrade, and only it, is counted in Redis')
  })

  t.test('the chat send limit after SCRIPT FLUSH', async (t) => {
    const { alice: carol, bob: dave } = await chatPair(t, { env: { ...env, RATE_LIMIT_REGISTER: '0' } })
    const client = carol.client
    await redis.script('FLUSH')
    const answers = []
    for (let i = 0; i < 3; i++) {
      client.send({ recipientId: dave.id, messageText: `burst ${i}` })
      const answer = await client.next()
      answers.push(answer.type === 'error' ? answer.code : answer.type)
    }
    t.same(answers, ['ack', 'ack', 'RATE_LIMITED'], 'a burst of twice the rate, then refused')
    t.equal(await redis.exists(`social-api:chat-limit:${carol.id}`), 1, 'the bucket is in Redis')
  })
})
