import { connect } from 'node:net'
import t from 'tap'
import { Ajv } from 'ajv'
import addFormats from 'ajv-formats'
import fc from 'fast-check'
import WebSocket from 'ws'
import { AckFrame, ErrorFrame, ReadFrame } from '../src/features/chat/schemas.js'
import { befriend, listen } from './chat-helpers.js'
import { holds, hostileString, hostileValue } from './fuzz-arbitraries.js'
import { buildTestApp, register } from './helper.js'

/**
 * Malformed frames over a real socket: every frame is answered with an ack or an error frame
 * of the contract, or the socket is closed with a documented code (1009 for a frame over
 * 64 KiB; 1002/1007 for frames that break the WebSocket protocol itself); the server goes on.
 */
const runs = Number(process.env.FUZZ_RUNS ?? 90)
const seed = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED)

const app = await buildTestApp(t, { CHAT_RATE_LIMIT: '0' })
const base = await listen(app)
const [alice, bob, stranger] = [await register(app), await register(app), await register(app)]
await befriend(app, alice, bob)

const ajv = addFormats.default(new Ajv({ strict: false }))
const isAnswer = { ack: ajv.compile(AckFrame), error: ajv.compile(ErrorFrame), read: ajv.compile(ReadFrame) }
const documentedCloses = new Set([1002, 1007, 1009])

type Answer = { frame: Record<string, unknown> } | { close: number }

/** A socket whose every event becomes the next answer. */
async function openSocket() {
  const socket = new WebSocket(`${base}/chat`, { headers: { authorization: `Bearer ${alice.token}` } })
  const answers: Answer[] = []
  const waiting: Array<(answer: Answer) => void> = []
  const push = (answer: Answer) => {
    const waiter = waiting.shift()
    if (waiter) waiter(answer)
    else answers.push(answer)
  }
  socket.on('message', (data, isBinary) => push({ frame: isBinary ? { binary: true } : JSON.parse(data.toString()) as Record<string, unknown> }))
  socket.on('close', (code) => push({ close: code }))
  socket.on('error', () => {})
  await new Promise((resolve, reject) => {
    socket.once('open', resolve)
    socket.once('error', reject)
  })
  const next = (timeoutMs = 5000) => {
    const queued = answers.shift()
    if (queued) return Promise.resolve(queued)
    return new Promise<Answer>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs)
      waiting.push((answer) => {
        clearTimeout(timer)
        resolve(answer)
      })
    })
  }
  return { socket, next }
}

const recipient = fc.oneof(fc.constantFrom(bob.id, stranger.id, alice.id, 0, -1, 2 ** 53, 1e308, 99_999_999), hostileValue)
const messageFrame = fc.record({
  type: fc.oneof(fc.constant('message'), hostileValue),
  recipientId: recipient,
  messageText: fc.oneof(fc.string({ minLength: 1, maxLength: 50 }), hostileString, hostileValue, fc.nat({ max: 70_000 }).map((n) => 'é'.repeat(n))),
  senderId: fc.oneof(fc.constant(alice.id), hostileValue),
  clientMessageId: fc.oneof(fc.uuid(), hostileString, hostileValue),
}, { requiredKeys: [] })

/** Good messages, to keep the store, the acks and the deliveries in the mix. */
const goodFrame = fc.record({
  recipientId: fc.constant(bob.id),
  messageText: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).filter((text) => !text.includes('\0')),
  clientMessageId: fc.option(fc.uuid(), { nil: undefined }),
}, { requiredKeys: ['recipientId', 'messageText'] })

const frame: fc.Arbitrary<string | Buffer | { text: Buffer }> = fc.oneof(
  { weight: 3, arbitrary: goodFrame.map((value) => JSON.stringify(value)) },
  { weight: 5, arbitrary: messageFrame.map((value) => JSON.stringify(value)) },
  { weight: 1, arbitrary: fc.json({ maxDepth: 4 }) },
  { weight: 1, arbitrary: fc.json({ maxDepth: 3 }).chain((text) => fc.nat({ max: text.length }).map((cut) => text.slice(0, cut))) },
  { weight: 1, arbitrary: fc.nat({ max: 32_000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`) },
  { weight: 1, arbitrary: fc.nat({ max: 10_000 }).map((depth) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)) },
  // Text frames whose bytes are not UTF-8: the protocol's own business (1007).
  { weight: 1, arbitrary: fc.constantFrom(Buffer.from([0xc3, 0x28]), Buffer.from([0xff, 0xfe, 0x7b]), Buffer.from('{"a":"\xed\xa0\x80"}', 'latin1')).map((text) => ({ text })) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', 'null', '[]', '"x"', '1e999', '{"recipientId":1e999,"messageText":"x"}', '{"__proto__":{"recipientId":2},"messageText":"x"}') },
)

/** The whole frame, escaped so that a lone surrogate or a control character shows as written. */
const shown = (sent: string | Buffer | { text: Buffer }) => {
  if (typeof sent === 'string') return `text ${JSON.stringify(sent)}`
  if (Buffer.isBuffer(sent)) return `binary 0x${sent.toString('hex')}`
  return `text bytes 0x${sent.text.toString('hex')}`
}

t.test('malformed frames get an error frame, an ack, or a documented close; never a crash', async (t) => {
  let current = await openSocket()
  const tally = { frames: 0, acks: 0, errors: 0, closes: 0 }
  await holds(t, fc.asyncProperty(frame, async (sent) => {
    tally.frames++
    if (current.socket.readyState !== WebSocket.OPEN) current = await openSocket()
    if (Buffer.isBuffer(sent)) current.socket.send(sent, { binary: true })
    else if (typeof sent === 'string') current.socket.send(sent)
    else current.socket.send(sent.text, { binary: false })
    const answer = await current.next()
    if ('close' in answer) {
      tally.closes++
      if (!documentedCloses.has(answer.close)) throw new Error(`closed with ${answer.close} after ${shown(sent)}`)
      return
    }
    const type = answer.frame.type
    if ((type !== 'ack' && type !== 'error') || !isAnswer[type](answer.frame)) {
      throw new Error(`an answer off the contract: ${JSON.stringify(answer.frame)} to ${shown(sent)}`)
    }
    if (type === 'ack') tally.acks++
    else tally.errors++
  }), { numRuns: runs * 6, seed })
  current.socket.close()
  t.pass(`${tally.frames} frames: ${tally.acks} acks, ${tally.errors} error frames, ${tally.closes} closes`)

  const after = await openSocket()
  after.socket.send(JSON.stringify({ recipientId: bob.id, messageText: 'still here', clientMessageId: 'after-fuzz' }))
  const answer = await after.next()
  t.match(answer, { frame: { type: 'ack', messageText: 'still here' } }, 'a new socket still chats')
  after.socket.close()
})

/** Read and typing frames, good and hostile; typing may be answered by nothing at all. */
const liveFrame = fc.oneof(
  fc.record({
    type: fc.constant('read'),
    userId: recipient,
    upTo: fc.oneof(fc.integer({ min: 1, max: 50 }), fc.constantFrom(0, -1, 2 ** 53, 1e308, 1.5), hostileValue),
  }, { requiredKeys: ['type'] }),
  fc.record({ type: fc.constant('typing'), recipientId: recipient }, { requiredKeys: ['type'] }),
  fc.record({ type: fc.constantFrom('read', 'typing', 'Typing', 'read '), userId: hostileValue, recipientId: hostileValue, upTo: hostileValue }, { requiredKeys: [] }),
)

t.test('read and typing frames get a read frame, an error frame or nothing, never a crash; messages after them still go', async (t) => {
  let current = await openSocket()
  let sentinels = 0
  await holds(t, fc.asyncProperty(liveFrame, async (sent) => {
    if (current.socket.readyState !== WebSocket.OPEN) current = await openSocket()
    current.socket.send(JSON.stringify(sent))
    const clientMessageId = `sentinel-${++sentinels}`
    current.socket.send(JSON.stringify({ recipientId: bob.id, messageText: 'sentinel', clientMessageId }))
    for (;;) {
      const answer = await current.next()
      if ('close' in answer) {
        if (documentedCloses.has(answer.close)) return
        throw new Error(`closed with ${answer.close} after ${JSON.stringify(sent)}`)
      }
      const type = answer.frame.type as keyof typeof isAnswer
      if (!isAnswer[type]?.(answer.frame)) throw new Error(`an answer off the contract: ${JSON.stringify(answer.frame)} to ${JSON.stringify(sent)}`)
      if (type === 'ack' && answer.frame.clientMessageId === clientMessageId) return
    }
  }), { numRuns: runs * 2, seed })
  current.socket.close()
  t.pass(`${sentinels} read and typing frames`)
})

t.test('garbage bytes after the upgrade: the server drops that connection and goes on', async (t) => {
  const { port } = new URL(base)
  let cases = 0
  await holds(t, fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 2048 }), async (bytes) => {
    cases++
    const socket = connect(Number(port), '127.0.0.1')
    socket.on('error', () => {})
    const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()))
    socket.write([
      'GET /chat HTTP/1.1', `Host: 127.0.0.1:${port}`, 'Upgrade: websocket', 'Connection: Upgrade',
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Version: 13', `Authorization: Bearer ${alice.token}`, '', '',
    ].join('\r\n'))
    await new Promise((resolve) => socket.once('data', resolve))
    socket.write(Buffer.from(bytes))
    // A frame that is merely incomplete waits for more; the client hangs up, as a real one would.
    const cut = setTimeout(() => socket.destroy(), 300)
    await ended
    clearTimeout(cut)
  }), { numRuns: Math.max(20, runs), seed })
  t.pass(`${cases} connections fed random bytes`)
  const health = await fetch(`${base.replace('ws:', 'http:')}/health`)
  t.equal(health.status, 200, 'the server still answers')
})
