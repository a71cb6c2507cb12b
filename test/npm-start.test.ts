import t, { type Test } from 'tap'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { statSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { childProcessEnv, createTestDatabase, freePort, TEST_SECRET, tempDir } from './helper.js'
import { alive, descendantsOf } from './server-process.js'

// `npm start` as a process manager runs it: the signal goes to npm, and the server must go with it.

const database = async (t: Test): Promise<Record<string, string>> => process.env.DATABASE_URL ? { DATABASE_URL: await createTestDatabase(t) } : { DATA_DIR: tempDir(t) }

async function npmStart(t: Test, env: Record<string, string>) {
  const port = await freePort()
  const npm = spawn('npm', ['start'], {
    env: childProcessEnv({ DATABASE_URL: undefined, NODE_ENV: 'test', LOG_LEVEL: 'info', HOST: '127.0.0.1', PORT: String(port), JWT_SECRET: TEST_SECRET, ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  npm.stdout.on('data', (chunk) => { output += chunk })
  npm.stderr.on('data', (chunk) => { output += chunk })
  // 'exit': a server left behind holds the pipes open, so 'close' would never come.
  const exited = once(npm, 'exit')
  const closed = once(npm, 'close')
  let tree: number[] = []
  // Whatever the test leaves running is killed by its pid, never by name.
  t.teardown(() => { for (const pid of [npm.pid!, ...tree]) if (alive(pid)) process.kill(pid, 'SIGKILL') })
  const base = `http://127.0.0.1:${port}`
  // A fresh PGlite takes long on a loaded two-core machine; tap's timeout bounds the wait.
  while (!(await fetch(`${base}/ready`).then((response) => response.ok, () => false))) {
    if (npm.exitCode !== null) throw new Error(`npm start exited: ${output}`)
    await sleep(100)
  }
  tree = descendantsOf(npm.pid!)
  return {
    tree,
    output: () => output,
    listening: () => fetch(`${base}/health`).then(() => true, () => false),
    /** SIGTERM to npm alone, as a process manager sends it; answers the processes still alive well after npm exited. */
    async terminate() {
      npm.kill('SIGTERM')
      await exited
      for (let waited = 0; waited < 30_000 && tree.some(alive); waited += 100) await sleep(100)
      const survivors = tree.filter(alive)
      // Everything the processes wrote has been read once the pipes closed.
      if (survivors.length === 0) await closed
      return survivors
    },
  }
}

t.test('SIGTERM to npm start closes the server gracefully and leaves no process behind', async (t) => {
  const server = await npmStart(t, await database(t))
  t.ok(server.tree.length > 0, 'npm started the server in a process of its own')
  const survivors = await server.terminate()
  t.same(survivors, [], `every process npm started has exited (${server.tree.join(', ')})`)
  t.notOk(await server.listening(), 'nothing listens on the port any more')
  t.match(server.output(), /"signal":"SIGTERM","msg":"closing"/, 'the server closed on the signal rather than being killed')
})

t.test('a second npm start with dist/ up to date does not compile', async (t) => {
  const env = await database(t)
  await (await npmStart(t, env)).terminate()
  const built = statSync('dist/server.js').mtimeMs
  const server = await npmStart(t, env)
  t.notMatch(server.output(), /building dist/)
  t.equal(statSync('dist/server.js').mtimeMs, built, 'dist/server.js was not written again')
  t.same(await server.terminate(), [])
})
