import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import t from 'tap'
import { ChatErrorCode } from '../src/features/chat/schemas.js'
import { chatPair, chatServer } from './chat-helpers.js'
import { buildTestApp } from './helper.js'

interface Sample { name: string, labels: Record<string, string>, value: number }

/** The samples of a text exposition (the lines that are not comments). */
function samplesOf(text: string): Sample[] {
  return text.split('\n').filter((line) => line && !line.startsWith('#')).map((line) => {
    const [, name = '', labels = '', value = ''] = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line) ?? []
    return { name, labels: Object.fromEntries([...labels.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, key, text]) => [key, text])), value: Number(value) }
  })
}
const valueOf = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
  samples.filter((sample) => sample.name === name && Object.entries(labels).every(([key, text]) => sample.labels[key] === text))
    .reduce((sum, sample) => sum + sample.value, 0)

const server = await chatServer(t, { env: { REDIS_URL: 'redis://127.0.0.1:6379', REDIS_PREFIX: `test-metrics-${randomBytes(4).toString('hex')}` } })
const { app } = server
const scrape = async () => {
  const response = await app.inject({ url: '/metrics' })
  t.equal(response.statusCode, 200, 'scraped')
  return response.body
}

t.test('after requests and chat traffic, promtool finds nothing to report in the exposition', async (t) => {
  const { alice, bob } = await chatPair(t, { server })
  const [aliceClient, bobClient] = [alice.client, bob.client]
  for (const url of [`/users/${alice.id}`, `/users/${bob.id}`, '/users/987654', '/nowhere/12345', '/users/me']) {
    await app.inject({ url, headers: alice.auth })
  }
  aliceClient.send({ recipientId: bob.id, messageText: 'counted', clientMessageId: 'm-1' })
  await aliceClient.nextOf('ack')
  await bobClient.nextOf('message')
  aliceClient.send({ recipientId: alice.id, messageText: 'to myself' })
  t.equal((await aliceClient.nextOf('error')).code, 'NOT_MUTUAL_FOLLOWERS')

  const text = await scrape()
  const samples = samplesOf(text)
  t.equal(valueOf(samples, 'chat_sockets_open'), 2, 'two sockets open')
  t.ok(valueOf(samples, 'chat_messages_stored_total') >= 1, 'the message was stored')
  t.ok(valueOf(samples, 'chat_messages_delivered_total', { origin: 'here' }) >= 1, 'and delivered')
  t.equal(valueOf(samples, 'chat_messages_refused_total', { code: 'NOT_MUTUAL_FOLLOWERS' }), 1, 'the refusal is counted by its code')
  t.ok(valueOf(samples, 'chat_message_store_batch_size_count') >= 1, 'the batch was measured')
  t.ok(valueOf(samples, 'bus_events_published_total', { event: 'message' }) >= 1, 'the message went on the bus')
  t.equal(valueOf(samples, 'redis_up'), 1, 'Redis is up')
  t.equal(valueOf(samples, 'db_pool_size'), app.database.driver === 'pglite' ? 1 : 10, 'the pool size is the driver’s')
  t.ok(samples.some((sample) => sample.name === 'db_pool_waiting'), 'pool waiting is reported')
  t.ok(samples.some((sample) => sample.name === 'nodejs_eventloop_lag_seconds'), 'event-loop lag is reported')
  t.ok(samples.some((sample) => sample.name === 'process_cpu_user_seconds_total'), 'the process defaults are reported')
  t.ok(valueOf(samples, 'http_request_duration_seconds_count', { route: '/users/:id', method: 'GET', status_class: '2xx' }) >= 2, 'profiles by their pattern')
  t.ok(valueOf(samples, 'http_request_duration_seconds_count', { route: '/users/:id', status_class: '4xx' }) >= 1, "nobody's profile as a 4xx")

  const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' })
  t.equal(check.error, undefined, 'promtool ran')
  t.equal(`${check.stdout}${check.stderr}`, '', 'promtool reports nothing')
  t.equal(check.status, 0)
})

t.test('label values come from fixed sets: route patterns, status classes, codes, event names', async (t) => {
  await app.inject({ url: `/users/${Date.now()}` })
  await app.inject({ url: `/no/such/${randomBytes(8).toString('hex')}` })
  const samples = samplesOf(await scrape())
  const routes = new Set(app.printRoutes({ commonPrefix: false }).match(/\/[^\s(]*/g))
  const bounded: Record<string, (value: string) => boolean> = {
    route: (value) => value === 'unmatched' || (/^\/[\w/:.-]*$/.test(value) && !/\d{3,}/.test(value)),
    status_class: (value) => /^[1-5]xx$/.test(value),
    method: (value) => /^[A-Z]+$/.test(value),
    code: (value) => (ChatErrorCode.anyOf as { const: string }[]).some((literal) => literal.const === value),
    event: (value) => /^[a-z][\w.-]*$/.test(value),
    origin: (value) => value === 'here' || value === 'elsewhere',
  }
  const ours = samples.filter((sample) => !/^(process_|nodejs_)/.test(sample.name))
  t.ok(ours.length > 20, 'the app’s samples were read')
  for (const { name, labels } of ours) {
    for (const [label, value] of Object.entries(labels)) {
      if (label === 'le' || label === 'quantile') continue
      t.ok(bounded[label]?.(value), `${name}: ${label}="${value}" is from a fixed set`)
    }
  }
  t.ok(ours.some((sample) => sample.labels.route === 'unmatched'), 'an unknown URL is counted as unmatched')
  t.ok(routes.size > 5 && ours.filter((sample) => sample.labels.route && sample.labels.route !== 'unmatched').length > 0, 'routes were read')
})

t.test('without METRICS_TOKEN only the loopback address is answered', async (t) => {
  t.equal((await app.inject({ url: '/metrics', remoteAddress: '127.0.0.1' })).statusCode, 200, 'IPv4 loopback')
  t.equal((await app.inject({ url: '/metrics', remoteAddress: '::1' })).statusCode, 200, 'IPv6 loopback')
  const outside = await app.inject({ url: '/metrics', remoteAddress: '10.0.0.7' })
  t.equal(outside.statusCode, 403)
  t.equal(outside.json().code, 'METRICS_LOOPBACK_ONLY')
  const proxied = await app.inject({ url: '/metrics', remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': '203.0.113.9' } })
  t.equal(proxied.statusCode, 403, 'a request a local proxy forwarded is not local')
  t.equal((await app.inject({ url: '/metrics', remoteAddress: '127.0.0.1', headers: { forwarded: 'for=203.0.113.9' } })).statusCode, 403)
})

t.test('with METRICS_TOKEN only its bearer is answered, from anywhere', async (t) => {
  const token = randomBytes(24).toString('base64url')
  const guarded = await buildTestApp(t, { METRICS_TOKEN: token })
  const ask = (headers: Record<string, string>, remoteAddress = '10.0.0.7') => guarded.inject({ url: '/metrics', headers, remoteAddress })
  const right = await ask({ authorization: `Bearer ${token}` })
  t.equal(right.statusCode, 200)
  t.match(right.headers['content-type'], /^text\/plain; version=0\.0\.4/)
  t.match(right.body, /^# HELP /m)
  for (const [what, headers] of [
    ['no token', {}],
    ['a wrong token', { authorization: `Bearer ${token.slice(0, -1)}x` }],
    ['a longer token', { authorization: `Bearer ${token}x` }],
    ['another scheme', { authorization: `Basic ${token}` }],
  ] as const) {
    const refused = await ask(headers)
    t.equal(refused.statusCode, 401, what)
    t.equal(refused.json().code, 'METRICS_UNAUTHORIZED', what)
  }
  t.equal((await ask({}, '127.0.0.1')).statusCode, 401, 'the loopback address needs the token too')
})
