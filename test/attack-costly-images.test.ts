import t from 'tap'
import sharp from 'sharp'
import { createReencodeQueue } from '../src/features/pictures/reencode-queue.js'
import { buildTestApp, register } from './helper.js'
import { imageOf } from './picture-fixtures.js'

// A valid 175 KB progressive JPEG of 7000x7000 with 883 scans took 7 to 18 s of CPU to decode
// and was accepted; two in flight held every other user's upload behind them.

/** Bits written most significant first, with JPEG's byte stuffing. */
function entropyCoded(write: (bits: (value: number, length: number) => void) => void): Buffer {
  const bytes: number[] = []
  let current = 0
  let filled = 0
  const put = (value: number, length: number) => {
    for (let i = length - 1; i >= 0; i--) {
      current = (current << 1) | ((value >> i) & 1)
      if (++filled === 8) {
        bytes.push(current)
        if (current === 0xff) bytes.push(0x00)
        current = 0
        filled = 0
      }
    }
  }
  write(put)
  if (filled > 0) put(0xff, 8 - filled)
  return Buffer.from(bytes)
}

/**
 * A flat progressive grayscale JPEG of side x side whose every AC coefficient is coded on its
 * own and then refined bit by bit: 1 + 63 x 14 = 883 scans, each only end-of-band runs, so the
 * file is small and cheap to build while a decoder still visits every block once per scan.
 */
async function manyScans(side: number) {
  // The encoder's header of a small flat image, stretched to side x side: its scans are replaced.
  const small = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#808080' } })
    .grayscale().jpeg({ progressive: true }).toBuffer()
  let at = 2
  while (small[at + 1] !== 0xda) {
    if (small[at + 1] === 0xc2) {
      small.writeUInt16BE(side, at + 5)
      small.writeUInt16BE(side, at + 7)
    }
    at += 2 + small.readUInt16BE(at + 2)
  }
  const blocks = Math.ceil(side / 8) ** 2
  const table = (tableClass: number, codeLength: number, symbols: number[]) => {
    const counts = Array.from({ length: 16 }, (_, i) => (i === codeLength - 1 ? symbols.length : 0))
    return Buffer.from([0xff, 0xc4, 0x00, 2 + 1 + 16 + symbols.length, tableClass << 4, ...counts, ...symbols])
  }
  // DC: one symbol (a difference of 0), code '0'. AC: the end-of-band runs EOB0..EOB14, 4-bit codes.
  const tables = Buffer.concat([table(0, 1, [0]), table(1, 4, Array.from({ length: 15 }, (_, r) => r << 4))])
  const flatDc = entropyCoded((put) => { for (let i = 0; i < blocks; i++) put(0, 1) })
  const flatBand = entropyCoded((put) => {
    for (let left = blocks; left > 0;) {
      const run = Math.min(left, 32767)
      const r = Math.floor(Math.log2(run))
      put(r, 4)
      put(run - (1 << r), r)
      left -= run
    }
  })
  const scan = (ss: number, se: number, ah: number, al: number, data: Buffer) =>
    Buffer.concat([Buffer.from([0xff, 0xda, 0x00, 8, 1, 1, 0x00, ss, se, (ah << 4) | al]), data])
  const scans = [scan(0, 0, 0, 0, flatDc)]
  for (let k = 1; k <= 63; k++) {
    scans.push(scan(k, k, 0, 13, flatBand))
    for (let al = 12; al >= 0; al--) scans.push(scan(k, k, al + 1, al, flatBand))
  }
  return Buffer.concat([small.subarray(0, at), tables, ...scans, Buffer.from([0xff, 0xd9])])
}

async function uploadOver(base: string, token: string, picture: Buffer) {
  const form = new FormData()
  form.append('profilePicture', new Blob([picture], { type: 'image/jpeg' }), 'me.jpg')
  const response = await fetch(`${base}/users/me/profile-picture`, { method: 'PUT', headers: { authorization: `Bearer ${token}` }, body: form })
  return { status: response.status, body: await response.json() as { code?: string, message?: string } }
}

t.test('a JPEG of 883 progressive scans is refused before it is decoded', async (t) => {
  const app = await buildTestApp(t)
  const base = await app.listen({ port: 0, host: '127.0.0.1' })
  const user = await register(app)
  const hostile = await manyScans(7000)
  t.ok(hostile.length < 256 * 1024, `${hostile.length} bytes`)
  const refused = await uploadOver(base, user.token, hostile)
  t.equal(refused.status, 400, JSON.stringify(refused.body))
  t.equal(refused.body.code, 'IMAGE_TOO_COMPLEX')
  t.match(refused.body.message, /883 scans of 7000x7000/)

  const small = await uploadOver(base, user.token, await manyScans(64))
  t.equal(small.body.code, 'IMAGE_TOO_COMPLEX', 'over 100 scans is refused at any size')

  const progressive = await imageOf('jpeg', 640, 480, (image) => image.jpeg({ progressive: true }))
  t.equal((await uploadOver(base, user.token, progressive)).status, 200, 'an ordinary progressive JPEG is accepted')
  const photo = await sharp({ create: { width: 4000, height: 3000, channels: 3, background: '#336699' } }).jpeg({ progressive: true }).toBuffer()
  t.equal((await uploadOver(base, user.token, photo)).status, 200, 'so is a 12-megapixel progressive photo')
})

/** A job that runs until the test lets it finish, recording when it started. */
function gate(started: string[], name: string) {
  let finish = () => {}
  const done = new Promise<void>((resolve) => { finish = resolve })
  return { job: async () => { started.push(name); await done; return name }, finish: () => finish() }
}
const settle = async () => { for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve)) }

t.test('users take turns at the re-encoder, one running each', async (t) => {
  const inTurn = createReencodeQueue({ slots: 1, waiting: 10, waitingPerUser: 1 })
  const started: string[] = []
  const [a1, a2, b1, c1] = ['a1', 'a2', 'b1', 'c1'].map((name) => gate(started, name)) as [ReturnType<typeof gate>, ReturnType<typeof gate>, ReturnType<typeof gate>, ReturnType<typeof gate>]
  const running = [inTurn(1, a1.job), inTurn(1, a2.job), inTurn(2, b1.job), inTurn(3, c1.job)]
  await settle()
  t.same(started, ['a1'])
  await t.rejects(inTurn(1, async () => 'a3'), { code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: 3 }, 'a user waits behind one of their own uploads at most')
  a1.finish()
  await settle()
  t.same(started, ['a1', 'b1'], "the next user goes before the same user's second upload")
  b1.finish()
  await settle()
  t.same(started, ['a1', 'b1', 'c1'])
  c1.finish()
  await settle()
  t.same(started, ['a1', 'b1', 'c1', 'a2'])
  a2.finish()
  t.same(await Promise.all(running), ['a1', 'a2', 'b1', 'c1'])
})

t.test('a full queue answers 503 with Retry-After at once', async (t) => {
  const inTurn = createReencodeQueue({ slots: 2, waiting: 2, waitingPerUser: 1 })
  const started: string[] = []
  const gates = [1, 2, 3, 4].map((user) => gate(started, `u${user}`))
  const running = gates.map((gate, i) => inTurn(i + 1, gate.job))
  await settle()
  t.same(started, ['u1', 'u2'])
  await t.rejects(inTurn(5, async () => 'u5'), { statusCode: 503, code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: 1 })
  for (const { finish } of gates) finish()
  t.equal((await Promise.all(running)).length, 4)
  t.equal(await inTurn(5, async () => 'u5'), 'u5', 'room again once they are done')
})

t.test('a failed re-encode gives its turn back', async (t) => {
  const inTurn = createReencodeQueue({ slots: 1, waiting: 1, waitingPerUser: 1 })
  await t.rejects(inTurn(1, async () => { throw new Error('broken image') }), /broken image/)
  t.equal(await inTurn(1, async () => 'next'), 'next')
})
