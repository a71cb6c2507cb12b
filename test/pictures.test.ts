import t from 'tap'
import { eq, sql } from 'drizzle-orm'
import { fileTypeFromBuffer } from 'file-type'
import { utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { setTimeout as sleep } from 'node:timers/promises'
import sharp from 'sharp'
import { users } from '../src/db/schema.js'
import { buildTestApp, register, tempDir } from './helper.js'
import { filesIn, imageOf, multipart, picturePart, pngChunk, upload, type Format } from './picture-fixtures.js'
import { pictureStore, storeKind } from './picture-stores.js'

const store = await pictureStore(t)
const app = await buildTestApp(t, store.env)
const nameOf = (url: string) => url.replace(/^\/images\//, '')
const pictureUrl = /^\/images\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.webp$/

t.test('every accepted format is stored as a WebP under a server-chosen name', async (t) => {
  const formats: Array<[Format, string]> = [['jpeg', 'image/jpeg'], ['png', 'image/png'], ['webp', 'image/webp'], ['gif', 'image/gif'], ['avif', 'image/avif']]
  for (const [format, type] of formats) {
    const user = await register(app)
    const response = await upload(app, user.auth, [picturePart(await imageOf(format, 64, 48), `../../evil name.${format}`, type)])
    t.equal(response.statusCode, 200, format)
    const profile = response.json()
    t.same(Object.keys(profile).sort(), ['createdAt', 'followersCount', 'followingCount', 'id', 'profilePictureUrl', 'username'])
    t.equal(profile.id, user.id)
    t.match(profile.profilePictureUrl, pictureUrl, `${format}: the client's file name plays no part`)
    const stored = await store.read(nameOf(profile.profilePictureUrl))
    const metadata = await sharp(stored).metadata()
    t.equal(metadata.format, 'webp', format)
    t.same([metadata.width, metadata.height], [64, 48], `${format}: small images are not enlarged`)
    const me = await app.inject({ url: '/users/me', headers: user.auth })
    t.equal(me.json().profilePictureUrl, profile.profilePictureUrl, 'the profile shows the new picture')
  }
})

t.test('an animated PNG is a PNG too', async (t) => {
  const png = await imageOf('png', 40, 30)
  const animationControl = Buffer.alloc(8)
  animationControl.writeUInt32BE(1, 0)
  // Signature and IHDR (8 + 25 bytes), then acTL before the image data, as in every APNG.
  const apng = Buffer.concat([png.subarray(0, 33), pngChunk('acTL', animationControl), png.subarray(33)])
  t.equal((await fileTypeFromBuffer(apng))?.mime, 'image/apng', 'file-type tells it apart')
  const user = await register(app)
  const response = await upload(app, user.auth, [picturePart(apng, 'moving.png', 'image/png')])
  t.equal(response.statusCode, 200)
  t.match(response.json().profilePictureUrl, pictureUrl)
})

t.test('large images are fitted inside 512x512', async (t) => {
  const user = await register(app)
  for (const [width, height, expected] of [[1200, 600, [512, 256]], [300, 900, [171, 512]]] as const) {
    const response = await upload(app, user.auth, [picturePart(await imageOf('png', width, height))])
    const served = await app.inject({ url: response.json().profilePictureUrl })
    const { width: w, height: h } = await sharp(served.rawPayload).metadata()
    t.same([w, h], expected, `${width}x${height}`)
  }
})

t.test('EXIF, GPS, XMP and ICC are stripped and the orientation is applied', async (t) => {
  const user = await register(app)
  const jpeg = await imageOf('jpeg', 80, 40, (image) => image
    .withExif({
      IFD0: { Copyright: 'secret-copyright-marker' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 3230/100', GPSLongitudeRef: 'W', GPSLongitude: '0/1 7/1 4366/100' },
    })
    .withMetadata({ orientation: 6 })
    .withIccProfile('p3')
    .withXmp('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description>secret-xmp-marker</rdf:Description></rdf:RDF></x:xmpmeta>'))
  const before = await sharp(jpeg).metadata()
  t.ok(before.exif?.includes('secret-copyright-marker'), 'the upload carries EXIF')
  t.ok(before.exif?.includes(Buffer.from([0x88, 0x25])) || before.exif?.includes(Buffer.from([0x25, 0x88])), 'the upload carries a GPS IFD')
  t.equal(before.orientation, 6)
  t.ok(before.icc && before.xmp, 'the upload carries ICC and XMP')

  const response = await upload(app, user.auth, [picturePart(jpeg)])
  t.equal(response.statusCode, 200)
  const served = await app.inject({ url: response.json().profilePictureUrl })
  const after = await sharp(served.rawPayload).metadata()
  t.equal(after.exif, undefined, 'no EXIF (and so no GPS)')
  t.equal(after.xmp, undefined, 'no XMP')
  t.equal(after.icc, undefined, 'no ICC profile')
  t.equal(after.orientation, undefined)
  t.same([after.width, after.height], [40, 80], 'turned upright by its orientation tag')
  t.notOk(served.rawPayload.includes('secret'), 'no marker survives in the bytes')
})

t.test('a new picture replaces the old one, whose file is removed', async (t) => {
  const user = await register(app)
  const first = (await upload(app, user.auth, [picturePart(await imageOf('png'))])).json().profilePictureUrl
  const second = (await upload(app, user.auth, [picturePart(await imageOf('jpeg'))])).json().profilePictureUrl
  t.not(first, second)
  t.notOk((await store.names()).includes(nameOf(first)), 'the old file is gone')
  t.ok((await store.names()).includes(nameOf(second)))
  t.equal((await app.inject({ url: first })).statusCode, 404)
  t.equal((await app.inject({ url: second })).statusCode, 200)
})

t.test('delete removes the picture and its file; deleting nothing is a 200 too', async (t) => {
  const user = await register(app)
  const url = (await upload(app, user.auth, [picturePart(await imageOf('png'))])).json().profilePictureUrl
  for (let i = 0; i < 2; i++) {
    const response = await app.inject({ method: 'DELETE', url: '/users/me/profile-picture', headers: user.auth })
    t.equal(response.statusCode, 200)
    t.equal(response.json().profilePictureUrl, null)
    t.equal(response.json().id, user.id)
  }
  t.notOk((await store.names()).includes(nameOf(url)))
  t.equal((await app.inject({ url: '/users/me', headers: user.auth })).json().profilePictureUrl, null)
})

t.test('the legacy POST /users/uploadProfilePicture does the same', async (t) => {
  const user = await register(app)
  const response = await upload(app, user.auth, [picturePart(await imageOf('gif'))], '/users/uploadProfilePicture', 'POST')
  t.equal(response.statusCode, 200)
  t.match(response.json().profilePictureUrl, pictureUrl)
  const bad = await upload(app, user.auth, [picturePart('<svg/>', 'x.png', 'image/png')], '/users/uploadProfilePicture', 'POST')
  t.equal(bad.json().code, 'UNSUPPORTED_MEDIA_TYPE')
})

t.test('uploads and deletes need a token', async (t) => {
  const png = await imageOf('png')
  for (const [method, url] of [['PUT', '/users/me/profile-picture'], ['POST', '/users/uploadProfilePicture'], ['DELETE', '/users/me/profile-picture']] as const) {
    const response = method === 'DELETE'
      ? await app.inject({ method, url })
      : await upload(app, {}, [picturePart(png)], url, method)
    t.equal(response.statusCode, 401, `${method} ${url}`)
    t.equal(response.json().code, 'UNAUTHORIZED')
  }
})

t.test('racing uploads for one user leave one picture and no orphan file', async (t) => {
  const user = await register(app)
  const images = await Promise.all(['png', 'jpeg', 'webp', 'gif', 'png', 'jpeg'].map((format) => imageOf(format as Format)))
  const owned = async () => (await store.names()).filter((file) => !file.startsWith('.'))
  const before = new Set(await owned())
  for (let round = 0; round < 3; round++) {
    const responses = await Promise.all(images.map((image) => upload(app, user.auth, [picturePart(image)])))
    t.same(responses.map((response) => response.statusCode), images.map(() => 200), `round ${round}`)
    const current = (await app.inject({ url: '/users/me', headers: user.auth })).json().profilePictureUrl
    t.same((await owned()).filter((file) => !before.has(file)), [nameOf(current)], `round ${round}: only the winner's file is left`)
  }
  t.same((await store.names()).filter((file) => file.startsWith('.')), [], 'no temp files')
})

t.test('a user deleted while uploading gets a 404 and leaves no file behind', async (t) => {
  const uploads = await pictureStore(t)
  const log: string[] = []
  // Debug logs say when the handler starts reading the form, that is, once the token was accepted.
  const other = await buildTestApp(t, { ...uploads.env, LOG_LEVEL: 'debug' }, { logStream: { write: (line: string) => { log.push(line) } } })
  const user = await register(other)
  const { payload, headers } = multipart([picturePart(await imageOf('png'))])
  const body = new PassThrough()
  const answer = other.inject({ method: 'PUT', url: '/users/me/profile-picture', headers: { ...user.auth, ...headers }, payload: body })
  body.write(payload.subarray(0, 100))
  for (let waited = 0; !log.some((line) => line.includes('starting multipart parsing')) && waited < 10_000; waited += 20) await sleep(20)
  await other.database.db.delete(users).where(eq(users.id, user.id))
  body.end(payload.subarray(100))
  const response = await answer
  t.equal(response.statusCode, 404)
  t.equal(response.json().code, 'USER_NOT_FOUND')
  t.same(await uploads.names(), [], 'the re-encoded file was removed again')
})

t.test('start-up creates the upload directory and removes only stale temp files', { skip: storeKind() === 's3' && 'a directory of the disk store' }, async (t) => {
  const missing = join(tempDir(t), 'not', 'yet')
  await buildTestApp(t, { UPLOAD_DIR: missing })
  t.same(filesIn(missing), [], 'created')

  const crashed = tempDir(t)
  const hoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000)
  writeFileSync(join(crashed, '.upload-stale'), 'half a picture')
  utimesSync(join(crashed, '.upload-stale'), hoursAgo, hoursAgo)
  writeFileSync(join(crashed, '.upload-in-progress'), 'another process is writing this')
  writeFileSync(join(crashed, 'a1b2.webp'), 'a picture')
  await buildTestApp(t, { UPLOAD_DIR: crashed })
  t.same(filesIn(crashed), ['.upload-in-progress', 'a1b2.webp'])
})

t.test('when the database refuses the update, the new file is removed and the old picture stays', async (t) => {
  const failing = await pictureStore(t)
  const other = await buildTestApp(t, failing.env)
  const user = await register(other)
  const url = (await upload(other, user.auth, [picturePart(await imageOf('png'))])).json().profilePictureUrl
  await other.database.db.execute(sql`create function refuse() returns trigger language plpgsql as $$ begin raise exception 'disk full'; end $$`)
  await other.database.db.execute(sql`create trigger refuse_pictures before update of profile_picture on users for each row execute function refuse()`)
  const response = await upload(other, user.auth, [picturePart(await imageOf('jpeg'))])
  t.equal(response.statusCode, 500)
  t.same(response.json(), { statusCode: 500, code: 'INTERNAL_SERVER_ERROR', error: 'Internal Server Error', message: 'something went wrong on our side' })
  t.same(await failing.names(), [nameOf(url)], 'only the old file')
  await other.database.db.execute(sql`drop trigger refuse_pictures on users`)
  t.equal((await other.inject({ url: '/users/me', headers: user.auth })).json().profilePictureUrl, url)
})
