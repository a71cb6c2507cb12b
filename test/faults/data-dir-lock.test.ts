import t from 'tap'
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { freePort, tempDir } from '../helper.js'
import { spawnServer, startServer as startServerProcess, type ServerProcess } from '../server-process.js'

// As in a container: the server alone in a pid namespace, where it is pid 1 at every start.
const unshare = ['unshare', '-fp', '--mount-proc', '--kill-child']
const skip = spawnSync(unshare[0]!, [...unshare.slice(1), 'true']).status !== 0 && 'unshare cannot make a pid namespace here'

type Test = { teardown(fn: () => unknown): void }

const settings = (dataDir: string, port: number) => ({ NODE_ENV: 'development', LOG_LEVEL: 'warn', PORT: String(port), DATA_DIR: dataDir })

/** The server's own process: unshare's child when it runs in a namespace of its own. */
function serverPid(server: ServerProcess, asPid1 = true) {
  if (!asPid1) return server.child.pid!
  const [pid] = readFileSync(`/proc/${server.child.pid}/task/${server.child.pid}/children`, 'utf8').trim().split(' ')
  return Number(pid)
}

const startServer = (t: Test, dataDir: string, port: number, { asPid1 = true } = {}) =>
  startServerProcess(t, settings(dataDir, port), { wrapper: asPid1 ? unshare : [] })

/** The pid a process has in its own namespace (the last of NSpid). */
const pidInNamespace = (pid: number) => Number(/^NSpid:.*?(\d+)\s*$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1])

t.test('the embedded database starts again after a crash, and only one server holds it', { skip }, async (t) => {
  const dataDir = join(tempDir(t), 'data')
  const lockPath = join(dataDir, 'pglite.lock')
  const port = await freePort()
  const first = await startServer(t, dataDir, port)
  t.equal(pidInNamespace(serverPid(first)), 1, 'the server runs as pid 1')
  const registered = await fetch(`${first.base}/auth/register`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'alice', password: 'password123' }),
  })
  t.equal(registered.status, 201)
  const { token } = await registered.json() as { token: string }
  const me = (base: string) => fetch(`${base}/users/me`, { headers: { authorization: `Bearer ${token}` } }).then((response) => response.status)

  t.test('a second server on the same directory is refused with one line', async (t) => {
    const second = await spawnServer(t, settings(dataDir, await freePort()), { wrapper: unshare })
    t.equal((await second.exited).code, 1)
    t.match(second.stderr(), /^error: \S*pglite is in use by another process \(its lock \S*pglite\.lock is kept fresh\); stop it, or set DATA_DIR or DATABASE_URL to use another database\n$/)
    t.equal(await me(first.base), 200, 'the first one still serves')
  })

  t.test('after kill -9 of pid 1, a new pid 1 starts on the lock it left', async (t) => {
    process.kill(serverPid(first), 'SIGKILL')
    await first.exited
    t.ok(existsSync(lockPath), 'the crashed server left its lock')
    const again = await startServer(t, dataDir, port)
    t.equal(pidInNamespace(serverPid(again)), 1, 'the new server is pid 1 too')
    t.equal(await me(again.base), 200, 'the account survives')
    process.kill(serverPid(again), 'SIGKILL')
    await again.exited
  })

  t.test('a pid file of an earlier release naming a live process does not keep it down', async (t) => {
    await rm(lockPath, { recursive: true, force: true })
    // After a reboot the recorded pid may be anyone's: here the test runner's parent, alive.
    t.doesNotThrow(() => process.kill(process.ppid, 0), 'the recorded pid is alive')
    await writeFile(lockPath, String(process.ppid))
    const again = await startServer(t, dataDir, port, { asPid1: false })
    t.equal(await me(again.base), 200)
    again.child.kill('SIGTERM')
    t.equal((await again.exited).code, 0)
    t.notOk(existsSync(lockPath), 'a graceful exit releases the lock')
  })
})
