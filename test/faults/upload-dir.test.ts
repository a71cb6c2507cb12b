import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { buildTestApp, register, tempDir } from '../helper.js'
import { imageOf, multipart, picturePart } from '../picture-fixtures.js'

/**
 * UPLOAD_DIR taken away while the server runs. chmod cannot do it (the tests run as root, who
 * writes through any mode), so a regular file is put where the directory was: every write
 * under it fails (ENOTDIR), for root too, as it would on a full or read-only volume.
 */
t.test('an unusable UPLOAD_DIR fails that upload with a clear 503, and nothing else', async (t) => {
  const uploads = join(tempDir(t), 'images')
  const app = await buildTestApp(t, { UPLOAD_DIR: uploads })
  const [alice, bob] = [await register(app), await register(app)]
  const upload = async () => {
    const { payload, headers } = multipart([picturePart(await imageOf('png'), 'me.png', 'image/png')])
    return app.inject({ method: 'PUT', url: '/users/me/profile-picture', payload, headers: { ...headers, ...alice.auth } })
  }
  const first = await upload()
  t.equal(first.statusCode, 200)
  const before = first.json().profilePictureUrl as string

  rmSync(uploads, { recursive: true, force: true })
  writeFileSync(uploads, 'not a directory')
  const failed = await upload()
  t.equal(failed.statusCode, 503)
  t.same(failed.json(), {
    statusCode: 503, code: 'STORAGE_UNAVAILABLE', error: 'Service Unavailable',
    message: 'the picture could not be stored right now; try again later',
  }, 'a clear answer, in the error shape, with no path or errno in it')

  const me = await app.inject({ url: '/users/me', headers: alice.auth })
  t.equal(me.statusCode, 200, 'the rest of the API works')
  t.equal(me.json().profilePictureUrl, before, 'the old picture is still the profile picture')
  t.equal((await app.inject({ method: 'PUT', url: `/users/${bob.id}/follow`, headers: alice.auth })).statusCode, 200)
  t.equal((await app.inject({ method: 'DELETE', url: '/users/me/profile-picture', headers: bob.auth })).statusCode, 200)
  t.equal((await app.inject({ url: '/ready' })).statusCode, 200)

  rmSync(uploads, { force: true })
  mkdirSync(uploads)
  const again = await upload()
  t.equal(again.statusCode, 200, 'uploads work again once the directory is back')
  t.same(readdirSync(uploads).filter((name) => !name.endsWith('.webp')), [], 'no temp file left behind')
})
