import t, { type Test } from 'tap'
import { deflateSync } from 'node:zlib'
import { buildTestApp, register } from './helper.js'
import { imageOf, pngChunk, picturePart, upload } from './picture-fixtures.js'
import { pictureStore } from './picture-stores.js'

const store = await pictureStore(t)
const app = await buildTestApp(t, { ...store.env, MAX_UPLOAD_BYTES: String(256 * 1024) })
const user = await register(app)
const original = (await upload(app, user.auth, [picturePart(await imageOf('png'))])).json().profilePictureUrl as string
const pictureOf = async () => (await app.inject({ url: '/users/me', headers: user.auth })).json().profilePictureUrl as string

const reasons: Record<number, string> = { 400: 'Bad Request', 413: 'Payload Too Large', 415: 'Unsupported Media Type' }

/** Refused with this status and code, in the contract's shape, leaving the picture and the files as they were. */
async function refused(t: Test, response: { statusCode: number, json(): unknown }, statusCode: number, code: string, name: string) {
  t.equal(response.statusCode, statusCode, name)
  const body = response.json() as Record<string, unknown>
  t.same(Object.keys(body).sort(), ['code', 'error', 'message', 'statusCode'], `${name}: the error shape`)
  t.match(body, { statusCode, code, error: reasons[statusCode], message: /\w/ }, name)
  t.equal(await pictureOf(), original, `${name}: the old picture stays`)
  t.same(await store.names(), [original.slice(8)], `${name}: no new or temp file`)
}

/** A grayscale PNG header declaring width x height, with `rows` rows of zeros actually present. */
function pngDeclaring(width: number, height: number, rows: number) {
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header.set([8, 0, 0, 0, 0], 8)
  const pixels = deflateSync(Buffer.alloc((width + 1) * rows))
  return Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), pngChunk('IHDR', header), pngChunk('IDAT', pixels), pngChunk('IEND', Buffer.alloc(0))])
}

t.test('anything but the five image types is 415, whatever its name and content type', async (t) => {
  const cases: Array<[string, Buffer | string, string, string]> = [
    ['SVG with a script', '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(document.cookie)</script></svg>', 'me.svg', 'image/svg+xml'],
    ['SVG named .png', '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', 'me.png', 'image/png'],
    ['HTML', '<!doctype html><html><body><script>alert(1)</script></body></html>', 'me.html', 'text/html'],
    ['HTML named .jpg', '<html><script>alert(1)</script></html>', 'me.jpg', 'image/jpeg'],
    ['text named .png', 'just some words, not a picture', 'me.png', 'image/png'],
    ['PDF named .png', '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF', 'me.png', 'image/png'],
    ['a ZIP', Buffer.from('504b030414000000000000000000000000000000000000000000000000000000', 'hex'), 'me.gif', 'image/gif'],
    ['a TIFF (an image, but not one accepted)', await imageOf('tiff' as 'png'), 'me.png', 'image/png'],
  ]
  for (const [name, data, filename, type] of cases) {
    await refused(t, await upload(app, user.auth, [picturePart(data, filename, type)]), 415, 'UNSUPPORTED_MEDIA_TYPE', name)
  }
})

t.test('a polyglot is refused when it does not decode, and defused when it does', async (t) => {
  const gifHtml = Buffer.concat([Buffer.from('GIF89a'), Buffer.from('<html><script>alert(1)</script></html>')])
  await refused(t, await upload(app, user.auth, [picturePart(gifHtml, 'me.gif', 'image/gif')]), 400, 'INVALID_IMAGE', 'GIF header then HTML')

  const pngWithHtml = Buffer.concat([await imageOf('png'), Buffer.from('<html><script>alert(1)</script></html>')])
  const other = await register(app)
  const response = await upload(app, other.auth, [picturePart(pngWithHtml, 'me.html', 'text/html')])
  t.equal(response.statusCode, 200, 'a real PNG with HTML after its end is a picture')
  const served = await app.inject({ url: response.json().profilePictureUrl })
  t.notOk(served.rawPayload.includes('<script'), 're-encoding drops the HTML')
  t.equal(served.headers['content-type'], 'image/webp')
  await app.inject({ method: 'DELETE', url: '/users/me/profile-picture', headers: other.auth })
})

t.test('bytes that claim a type but do not decode are 400 INVALID_IMAGE', async (t) => {
  const png = await imageOf('png', 64, 64)
  const jpeg = await imageOf('jpeg', 64, 64)
  const cases: Array<[string, Buffer]> = [
    ['JPEG magic then noise', Buffer.concat([Buffer.from('ffd8ffe000104a46494600', 'hex'), Buffer.alloc(2000, 0x5a)])],
    ['PNG cut in half', png.subarray(0, Math.floor(png.length / 2))],
    ['JPEG cut in half', jpeg.subarray(0, Math.floor(jpeg.length / 2))],
    ['PNG with a corrupt data chunk', Buffer.concat([png.subarray(0, 60), Buffer.alloc(200, 0xff), png.subarray(260)])],
  ]
  for (const [name, data] of cases) await refused(t, await upload(app, user.auth, [picturePart(data)]), 400, 'INVALID_IMAGE', name)
})

t.test('no file, an empty file or several files are 400s that say which', async (t) => {
  const png = await imageOf('png')
  await refused(t, await upload(app, user.auth, [picturePart(Buffer.alloc(0))]), 400, 'EMPTY_FILE', 'empty file')
  await refused(t, await upload(app, user.auth, [{ field: 'note', data: 'hello' }]), 400, 'FILE_REQUIRED', 'only a text field')
  await refused(t, await upload(app, user.auth, []), 400, 'FILE_REQUIRED', 'an empty form')
  await refused(t, await upload(app, user.auth, [{ ...picturePart(png), field: 'avatar' }]), 400, 'FILE_REQUIRED', 'the wrong field name')
  await refused(t, await upload(app, user.auth, [picturePart(png), picturePart(png)]), 400, 'TOO_MANY_FILES', 'two files')
  await refused(t, await upload(app, user.auth, [picturePart(png), { ...picturePart(png), field: 'other' }]), 400, 'TOO_MANY_FILES', 'a second file elsewhere')
  await refused(t, await app.inject({ method: 'PUT', url: '/users/me/profile-picture', headers: user.auth }), 400, 'FILE_REQUIRED', 'no body at all')
})

t.test('a body that is not well-formed multipart/form-data is refused', async (t) => {
  const put = (payload: string | Buffer, contentType: string) =>
    app.inject({ method: 'PUT', url: '/users/me/profile-picture', payload, headers: { ...user.auth, 'content-type': contentType } })
  await refused(t, await put('{"profilePicture":"x"}', 'application/json'), 415, 'UNSUPPORTED_MEDIA_TYPE', 'JSON')
  await refused(t, await put('hello', 'text/plain'), 415, 'UNSUPPORTED_MEDIA_TYPE', 'text')
  await refused(t, await put(await imageOf('png'), 'image/png'), 415, 'UNSUPPORTED_MEDIA_TYPE', 'a bare image body')
  await refused(t, await put('--x\r\nContent-Disposition: form-data; name="profilePicture"; filename="a"\r\n\r\nabc', 'multipart/form-data; boundary=x'), 400, 'INVALID_MULTIPART', 'a form that never ends')
  await refused(t, await put('whatever', 'multipart/form-data'), 400, 'INVALID_MULTIPART', 'no boundary')
})

t.test('a file over MAX_UPLOAD_BYTES is 413; one at the limit is accepted', async (t) => {
  const big = Buffer.concat([await imageOf('png', 8, 8), Buffer.alloc(256 * 1024)])
  await refused(t, await upload(app, user.auth, [picturePart(big)]), 413, 'PAYLOAD_TOO_LARGE', 'one byte over')

  const limited = await buildTestApp(t, { ...(await pictureStore(t)).env, MAX_UPLOAD_BYTES: String((await imageOf('png', 64, 48)).length) })
  const someone = await register(limited)
  const exact = await upload(limited, someone.auth, [picturePart(await imageOf('png', 64, 48))])
  t.equal(exact.statusCode, 200, 'exactly at the limit')
  const over = await upload(limited, someone.auth, [picturePart(await imageOf('png', 64, 49))])
  t.equal(over.statusCode, 413, 'over by a row')
})

t.test('decompression bombs are refused from their header, without decoding them', async (t) => {
  const cases: Array<[string, Buffer]> = [
    ['a PNG declaring 50000x50000', pngDeclaring(50_000, 50_000, 2)],
    ['a complete 8000x8000 PNG of zeros', pngDeclaring(8000, 8000, 8000)],
  ]
  for (const [name, data] of cases) {
    t.ok(data.length < 256 * 1024, `${name} is ${data.length} bytes`)
    const start = performance.now()
    const response = await upload(app, user.auth, [picturePart(data, 'bomb.png', 'image/png')])
    const elapsed = performance.now() - start
    await refused(t, response, 400, 'TOO_MANY_PIXELS', name)
    t.ok(elapsed < 5000, `${name}: answered in ${elapsed.toFixed(0)} ms`)
  }
})

t.test('a few text fields beside the file are ignored; a form of many parts is refused', async (t) => {
  const png = await imageOf('png')
  const fields = (count: number) => Array.from({ length: count }, (_, i) => ({ field: `note${i}`, data: 'x'.repeat(2000) }))
  await refused(t, await upload(app, user.auth, [...fields(11), picturePart(png)]), 413, 'TOO_MANY_PARTS', '12 parts')
  const other = await register(app)
  const response = await upload(app, other.auth, [...fields(3), picturePart(png)])
  t.equal(response.statusCode, 200, 'three fields and the file')
  await app.inject({ method: 'DELETE', url: '/users/me/profile-picture', headers: other.auth })
})
