import t from 'tap'
import { buildTestApp, register } from './helper.js'
import { bodyOf, imageOf, picturePart, rawRequest, statusOf, upload } from './picture-fixtures.js'
import { pictureStore } from './picture-stores.js'

const store = await pictureStore(t)
const app = await buildTestApp(t, store.env)
const user = await register(app)
const url = (await upload(app, user.auth, [picturePart(await imageOf('png'))])).json().profilePictureUrl as string

t.test('an image is public, immutable, cacheable and never sniffed', async (t) => {
  const response = await app.inject({ url })
  t.equal(response.statusCode, 200)
  t.equal(response.headers['content-type'], 'image/webp')
  t.equal(response.headers['cache-control'], 'public, max-age=31536000, immutable')
  t.equal(response.headers['x-content-type-options'], 'nosniff')
  t.match(response.headers.etag, /^(W\/)?".+"$/)
  t.equal(response.rawPayload.subarray(8, 12).toString(), 'WEBP')
})

t.test('If-None-Match with the ETag gives 304 without a body', async (t) => {
  const { etag } = (await app.inject({ url })).headers
  const response = await app.inject({ url, headers: { 'if-none-match': String(etag) } })
  t.equal(response.statusCode, 304)
  t.equal(response.body, '')
  const other = await app.inject({ url, headers: { 'if-none-match': '"something-else"' } })
  t.equal(other.statusCode, 200)
})

t.test('an unknown image is a 404 in the contract shape', async (t) => {
  const response = await app.inject({ url: '/images/00000000-0000-0000-0000-000000000000.webp' })
  t.equal(response.statusCode, 404)
  t.same(response.json(), {
    statusCode: 404, code: 'IMAGE_NOT_FOUND', error: 'Not Found',
    message: 'image /images/00000000-0000-0000-0000-000000000000.webp not found',
  })
})

t.test('only stored pictures are served: no other file, dotfile, listing or traversal', async (t) => {
  await store.plant('.upload-leftover', 'temp')
  await store.plant('notes.txt', 'not a picture')
  await store.plant('page.html', '<script>alert(1)</script>')
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as { port: number }
  const paths = [
    '/images/../package.json', '/images/..%2Fpackage.json', '/images/%2e%2e%2fpackage.json', '/images/%2e%2e/package.json',
    '/images/..%5Cpackage.json', '/images/.upload-leftover', '/images/notes.txt', '/images/page.html', '/images/',
    '/images', '/images/%00.webp', `/images/${url.slice(8)}/..`, `/images/${url.slice(8, -5)}.WEBP`,
  ]
  for (const path of paths) {
    const response = await rawRequest(port, `GET ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`)
    t.equal(statusOf(response), 404, path)
    t.match(bodyOf(response), { statusCode: 404, code: /^(IMAGE|ROUTE)_NOT_FOUND$/, error: 'Not Found' }, path)
    t.notMatch(response, /"name"|alert|not a picture|temp$/, `${path}: no file content`)
  }
  const served = await rawRequest(port, `GET ${url} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`)
  t.equal(statusOf(served), 200, 'the real picture is served over the same socket path')
})

t.test('OpenAPI documents the routes, the multipart body and every answer', async (t) => {
  const spec = (await app.inject({ url: '/docs/json' })).json()
  const put = spec.paths['/users/me/profile-picture'].put
  t.equal(put.operationId, 'uploadProfilePicture')
  t.same(put.tags, ['pictures'])
  t.same(put.security, [{ bearerAuth: [] }])
  t.same(put.requestBody.content['multipart/form-data'].schema.properties.profilePicture, {
    type: 'string', format: 'binary', description: put.requestBody.content['multipart/form-data'].schema.properties.profilePicture.description,
  })
  t.same(put.requestBody.content['multipart/form-data'].schema.required, ['profilePicture'])
  t.same(Object.keys(put.requestBody.content), ['multipart/form-data'], 'multipart only')
  t.same(Object.keys(put.responses).sort(), ['200', '400', '401', '404', '413', '415', '500', '503'])
  t.match(put.responses['413'].description, /PAYLOAD_TOO_LARGE.*TOO_MANY_PARTS/)
  t.match(put.responses['503'].description, /SERVICE_UNAVAILABLE.*STORAGE_UNAVAILABLE/)
  t.match(put.responses['400'].description, /FILE_REQUIRED.*EMPTY_FILE.*TOO_MANY_FILES.*INVALID_IMAGE.*TOO_MANY_PIXELS/)

  const legacy = spec.paths['/users/uploadProfilePicture'].post
  t.equal(legacy.deprecated, true)
  t.same(legacy.tags, ['legacy'])
  t.same(legacy.requestBody, put.requestBody)

  const remove = spec.paths['/users/me/profile-picture'].delete
  t.equal(remove.operationId, 'deleteProfilePicture')
  t.same(remove.security, [{ bearerAuth: [] }])

  const image = spec.paths['/images/{file}'].get
  t.equal(image.operationId, 'getImage')
  t.same(image.tags, ['pictures'])
  t.same(image.security, [], 'public')
  t.same(Object.keys(image.responses).sort(), ['200', '304', '400', '404', '414', '500', '503'])
  t.same(Object.keys(image.responses['404'].content['application/json'].examples), ['IMAGE_NOT_FOUND'])
  t.same(image.responses['200'].content['image/webp'].schema, { type: 'string', format: 'binary' })
  t.match(image.parameters, [{ in: 'path', name: 'file', required: true, schema: { pattern: '^[A-Za-z0-9-]+\\.webp$' } }])
})
