import t from 'tap'
import { request } from 'node:http'
import { loadConfig } from '../src/config.js'
import { buildTestApp, register, tempDir } from './helper.js'
import { imageOf, picturePart, upload } from './picture-fixtures.js'
import { headObject, objectOf, objectsIn, startS3 } from './picture-stores.js'

// What only the S3 store has; the whole picture suite also runs on it (test/s3-*.test.ts).
const s3 = await startS3(t)
const nameOf = (url: string) => url.slice(url.lastIndexOf('/') + 1)

/** A GET over node:http, which (unlike fetch) keeps no cache and adds no conditional header of its own. */
function get(port: number, path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number, headers: Record<string, string | string[] | undefined>, body: Buffer }>((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, headers }, (response) => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }))
      response.on('error', reject)
    }).on('error', reject).end()
  })
}

t.test('a picture is one object, typed and cacheable, served from the bucket and revalidated with 304', async (t) => {
  const bucket = await s3.createBucket()
  const app = await buildTestApp(t, { ...s3.env(bucket), UPLOAD_DIR: `${tempDir(t)}/never` })
  const user = await register(app)
  const url = (await upload(app, user.auth, [picturePart(await imageOf('png'))])).json().profilePictureUrl as string
  t.match(url, /^\/images\/[0-9a-f-]{36}\.webp$/, 'profilePictureUrl stays /images/<name>')
  t.same(await objectsIn(s3.client, bucket), [nameOf(url)], 'one object, under the name')
  const object = await objectOf(s3.client, bucket, nameOf(url))
  t.equal(object.ContentType, 'image/webp')
  t.equal(object.CacheControl, 'public, max-age=31536000, immutable', 'a CDN in front of the bucket may keep it forever too')
  t.equal(object.bytes.subarray(8, 12).toString(), 'WEBP')

  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as { port: number }
  const served = await get(port, url)
  t.equal(served.status, 200)
  t.equal(served.headers['content-type'], 'image/webp')
  t.equal(served.headers['cache-control'], 'public, max-age=31536000, immutable')
  t.equal(served.headers['x-content-type-options'], 'nosniff')
  t.equal(served.headers.etag, object.ETag, "the bucket's ETag")
  t.same(served.body, object.bytes, 'the bytes in the bucket')
  const revalidated = await get(port, url, { 'if-none-match': String(served.headers.etag) })
  t.equal(revalidated.status, 304)
  t.equal(revalidated.body.length, 0)
  t.equal(revalidated.headers.etag, served.headers.etag)
  t.equal(revalidated.headers['cache-control'], 'public, max-age=31536000, immutable')
  t.equal((await get(port, url, { 'if-none-match': '"something-else"' })).status, 200, 'another ETag gets the bytes')
})

t.test('with PUBLIC_IMAGES_BASE_URL, profilePictureUrl is that base and the object name, wherever a user is shown', async (t) => {
  const bucket = await s3.createBucket()
  const app = await buildTestApp(t, { ...s3.env(bucket), PUBLIC_IMAGES_BASE_URL: 'https://cdn.example.com/avatars' })
  const [alice, bob] = [await register(app), await register(app)]
  const url = (await upload(app, alice.auth, [picturePart(await imageOf('jpeg'))])).json().profilePictureUrl as string
  t.match(url, /^https:\/\/cdn\.example\.com\/avatars\/[0-9a-f-]{36}\.webp$/)
  t.same(await objectsIn(s3.client, bucket), [nameOf(url)], 'the name at the end of the URL is the object')
  await app.inject({ method: 'PUT', url: `/users/${alice.id}/follow`, headers: bob.auth })
  const shown = [
    (await app.inject({ url: '/users/me', headers: alice.auth })).json().profilePictureUrl,
    (await app.inject({ url: `/users/${alice.id}`, headers: bob.auth })).json().profilePictureUrl,
    (await app.inject({ url: `/users/${bob.id}/following`, headers: bob.auth })).json().items[0].profilePictureUrl,
    (await app.inject({ method: 'POST', url: '/auth/login', payload: { username: alice.username, password: alice.password } })).json().user.profilePictureUrl,
  ]
  t.same(shown, [url, url, url, url])
  t.equal((await app.inject({ url: `/images/${nameOf(url)}` })).statusCode, 200, '/images still serves it, for clients that kept old URLs')
})

t.test('an unreachable bucket: uploads are 503 STORAGE_UNAVAILABLE and the profile keeps its old picture', async (t) => {
  const bucket = await s3.createBucket()
  const log: string[] = []
  const app = await buildTestApp(t, s3.env(bucket), { logStream: { write: (line: string) => { log.push(line) } } })
  const [alice, bob] = [await register(app), await register(app)]
  const before = (await upload(app, alice.auth, [picturePart(await imageOf('png'))])).json().profilePictureUrl as string
  const bobs = (await upload(app, bob.auth, [picturePart(await imageOf('png'))])).json().profilePictureUrl as string

  await s3.stop()
  t.teardown(() => s3.start())
  const failed = await upload(app, alice.auth, [picturePart(await imageOf('jpeg'))])
  t.equal(failed.statusCode, 503)
  t.same(failed.json(), {
    statusCode: 503, code: 'STORAGE_UNAVAILABLE', error: 'Service Unavailable',
    message: 'the picture could not be stored right now; try again later',
  })
  t.equal((await app.inject({ url: '/users/me', headers: alice.auth })).json().profilePictureUrl, before, 'the old picture is still the profile picture')
  const image = await app.inject({ url: before })
  t.equal(image.statusCode, 503, 'serving is 503 too, not a 404 that caches would keep')
  t.equal(image.json().code, 'STORAGE_UNAVAILABLE')
  const removed = await app.inject({ method: 'DELETE', url: '/users/me/profile-picture', headers: bob.auth })
  t.equal(removed.statusCode, 200, 'a delete commits; the object it could not remove is logged')
  t.equal(removed.json().profilePictureUrl, null)
  t.match(log.join(''), /could not remove a picture no profile names/)
  t.equal((await app.inject({ url: '/ready' })).statusCode, 200, 'the rest of the API works')

  await s3.start()
  t.equal((await app.inject({ url: before })).statusCode, 200, 'the old picture is served again')
  const again = await upload(app, alice.auth, [picturePart(await imageOf('jpeg'))])
  t.equal(again.statusCode, 200, 'uploads work again')
  const names = await objectsIn(s3.client, bucket)
  t.same(names.sort(), [nameOf(again.json().profilePictureUrl), nameOf(bobs)].sort(), "the replaced picture is gone; bob's object, unremoved during the outage, is the leak the log named")
  await t.rejects(headObject(s3.client, bucket, nameOf(before)), 'the replaced object is deleted')
})

t.test('the bucket settings are checked at start-up', async (t) => {
  const base = { NODE_ENV: 'test', JWT_SECRET: 'x'.repeat(32), S3_BUCKET: 'pictures' }
  t.throws(() => loadConfig({ ...base, AWS_ACCESS_KEY_ID: 'only-the-key' }), /AWS_SECRET_ACCESS_KEY: set both/)
  t.throws(() => loadConfig({ ...base, S3_BUCKET: 'Not A Bucket' }), /S3_BUCKET/)
  t.throws(() => loadConfig({ ...base, AWS_ENDPOINT_URL_S3: 'localhost:9000' }), /AWS_ENDPOINT_URL_S3/)
  t.match(loadConfig({ ...base, S3_FORCE_PATH_STYLE: 'true', AWS_REGION: 'eu-west-1' }).pictures, {
    store: { s3: { bucket: 'pictures', forcePathStyle: true, region: 'eu-west-1' } }, publicBaseUrl: '/images/',
  })
  t.equal(loadConfig({ ...base, PUBLIC_IMAGES_BASE_URL: 'https://cdn.example.com/a/' }).pictures.publicBaseUrl, 'https://cdn.example.com/a/')
})

t.test('erasing an account deletes its picture from the bucket', async (t) => {
  const bucket = await s3.createBucket()
  const app = await buildTestApp(t, { ...s3.env(bucket), UPLOAD_DIR: `${tempDir(t)}/never` })
  const [leaving, staying] = [await register(app), await register(app)]
  const kept = (await upload(app, staying.auth, [picturePart(await imageOf('png'))])).json().profilePictureUrl as string
  await upload(app, leaving.auth, [picturePart(await imageOf('jpeg'))])
  t.equal((await objectsIn(s3.client, bucket)).length, 2)
  const erased = await app.inject({ method: 'POST', url: '/users/me/delete', headers: leaving.auth, payload: { password: leaving.password } })
  t.equal(erased.statusCode, 204)
  t.same(await objectsIn(s3.client, bucket), [nameOf(kept)], "only the other user's picture is left")
})
