import t, { type Test } from 'tap'
import { buildTestApp, register, TEST_SECRET } from './helper.js'

async function warningsWith(t: Test, secret: string): Promise<string[]> {
  const lines: string[] = []
  const app = await buildTestApp(t, { JWT_SECRET: secret }, { logStream: { write: (line: string) => { lines.push(line) } } })
  // Signing and verifying tokens must not repeat it: the warning is about the setting, told once.
  for (let i = 0; i < 2; i++) {
    const user = await register(app)
    t.equal((await app.inject({ method: 'GET', url: '/users/me', headers: user.auth })).statusCode, 200)
  }
  return lines.map((line) => JSON.parse(line) as { level: number, msg: string })
    .filter((entry) => entry.level === 40 && entry.msg.includes('JWT_SECRET')).map((entry) => entry.msg)
}

t.test('a JWT_SECRET shorter than 32 bytes is warned about once outside production', async (t) => {
  const warnings = await warningsWith(t, 'short-secret')
  t.equal(warnings.length, 1, warnings.join('\n'))
  t.match(warnings[0], /JWT_SECRET.*12 bytes.*at least 32/)
  t.notMatch(warnings[0], /short-secret/, 'the secret itself is not logged')
})

t.test('a JWT_SECRET of 32 bytes or more is not warned about', async (t) => {
  t.same(await warningsWith(t, TEST_SECRET), [])
})
