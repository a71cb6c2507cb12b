import t from 'tap'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { Writable } from 'node:stream'
import { setTimeout as sleep } from 'node:timers/promises'
import { prettyStream } from '../src/logger.js'
import { buildTestApp, childProcessEnv, createTestDatabase, freePort, TEST_SECRET } from './helper.js'
import { alive, descendantsOf, spawnServer } from './server-process.js'

// Development logs a person reads at a terminal are pretty; logs going anywhere else stay JSON
// lines, and neither ever shows a ?token=.
const TOKEN = 'pretty-logs-token-value-that-must-not-show'
const database = async () => process.env.DATABASE_URL ? await createTestDatabase(t) : 'memory://'
const isJson = (line: string) => {
  try {
    return typeof JSON.parse(line) === 'object'
  } catch {
    return false
  }
}

async function ready(base: string, exited: () => boolean, output: () => string) {
  while (!(await fetch(`${base}/ready`).then((response) => response.ok, () => false))) {
    if (exited()) throw new Error(`the server exited: ${output()}`)
    await sleep(100)
  }
  // A URL logged outside the request serializer (Fastify's "Route ... not found") still goes through redactingStream.
  await fetch(`${base}/no-such-route?token=${TOKEN}`)
  await fetch(`${base}/users/me?token=${TOKEN}`)
}

t.test('at a terminal (a pty, as script gives one) the logs are for a person, with tokens redacted', async (t) => {
  const port = await freePort()
  const server = `${process.execPath} --import tsx src/server.ts`
  const child = spawn('script', ['-qfec', server, '/dev/null'], {
    env: childProcessEnv({ NODE_ENV: 'development', LOG_LEVEL: 'info', HOST: '127.0.0.1', PORT: String(port), JWT_SECRET: TEST_SECRET, DATABASE_URL: await database() }),
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (chunk) => { output += chunk })
  child.stderr.on('data', (chunk) => { output += chunk })
  const exited = once(child, 'exit')
  let tree: number[] = []
  t.teardown(() => { for (const pid of [...tree, child.pid!]) if (alive(pid)) process.kill(pid, 'SIGKILL') })
  await ready(`http://127.0.0.1:${port}`, () => child.exitCode !== null, () => output)
  tree = descendantsOf(child.pid!)
  for (const pid of tree) process.kill(pid, 'SIGTERM')
  await exited
  // eslint-disable-next-line no-control-regex
  const lines = output.replace(/\x1b\[[0-9;]*m/g, '').split(/\r?\n/).filter((line) => line.trim() !== '')
  t.ok(lines.some((line) => /INFO.*listening at http:\/\/127\.0\.0\.1/.test(line)), `a readable start-up line:\n${lines.join('\n')}`)
  t.same(lines.filter(isJson), [], 'no JSON lines')
  t.notOk(output.includes(TOKEN), 'the token was redacted')
  t.match(output, /\[REDACTED\]/)
})

t.test('piped, the same server logs JSON lines, tokens redacted', async (t) => {
  const server = await spawnServer(t, { NODE_ENV: 'development', DATABASE_URL: await database() })
  await ready(server.base, () => server.child.exitCode !== null, server.output)
  server.child.kill('SIGTERM')
  await server.exited
  const lines = server.output().split('\n').filter((line) => line.trim() !== '')
  t.ok(lines.length > 2)
  t.same(lines.filter((line) => !isJson(line)), [], 'every line is JSON')
  t.ok(lines.some((line) => (JSON.parse(line) as { msg?: string }).msg?.startsWith('listening at ')))
  t.notOk(server.output().includes(TOKEN), 'the token was redacted')
})

t.test('the pretty lines are redacted too, also a URL logged outside the request serializer', async (t) => {
  let output = ''
  const terminal = new Writable({ write(chunk, _encoding, done) { output += chunk; done() } })
  const app = await buildTestApp(t, {}, { logStream: prettyStream(terminal) })
  app.log.info({ path: `/chat?token=${TOKEN}` }, `an upgrade on /chat?token=${TOKEN}&x=1`)
  await app.inject({ url: `/users/me?token=${TOKEN}` })
  t.match(output, /INFO.*an upgrade on \/chat\?token=\[REDACTED\]&x=1/)
  t.match(output, /path: "\/chat\?token=\[REDACTED\]"/)
  t.notOk(output.includes(TOKEN), 'the token was redacted')
})
