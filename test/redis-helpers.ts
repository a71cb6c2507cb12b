import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { createConnection, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redis } from 'ioredis'

type Test = { teardown(fn: () => unknown): void }

export const redisMissing = spawnSync('redis-server', ['--version']).error !== undefined

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs
  while (!(await Promise.resolve().then(check).catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`)
    await pause(50)
  }
}

function redisPing(port: number) {
  return new Promise<boolean>((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' }, () => socket.write('PING\r\n'))
    socket.once('data', (data) => {
      resolve(data.toString().startsWith('+PONG'))
      socket.destroy()
    })
    socket.once('error', () => resolve(false))
  })
}

/**
 * A redis-server of the test's own on `port`, without persistence (a restart starts empty), so
 * that it can be killed and restarted without disturbing anyone else's Redis.
 */
export async function startRedis(t: Test, port: number) {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' })
  t.teardown(() => child.kill('SIGKILL'))
  await until('redis-server answers', () => redisPing(port))
  return child
}

export async function kill(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return
  child.kill('SIGKILL')
  await once(child, 'exit')
}

/** How many connections are subscribed to the channel, asked with a fresh connection to the Redis on `port`. */
export async function subscribers(port: number, channel: string) {
  const redis = new Redis(port, '127.0.0.1', { lazyConnect: true, retryStrategy: () => null })
  redis.on('error', () => {})
  try {
    await redis.connect()
    return ((await redis.pubsub('NUMSUB', channel)) as [string, number])[1]
  } finally {
    redis.disconnect()
  }
}

/** A loopback port free now whose cluster bus port (+10000) is free too. */
async function freeClusterPort(taken: Set<number>) {
  for (;;) {
    const server = createServer().listen(0, '127.0.0.1')
    await once(server, 'listening')
    const { port } = server.address() as { port: number }
    server.close()
    if (port > 55_535 || taken.has(port) || taken.has(port + 10_000)) continue
    const bus = createServer().listen(port + 10_000, '127.0.0.1')
    const free = await Promise.race([once(bus, 'listening').then(() => true), once(bus, 'error').then(() => false)])
    bus.close()
    if (free) return port
  }
}

/**
 * A Redis Cluster of the test's own: `size` redis-servers with cluster mode on, without
 * persistence or replicas, their slots assigned by `redis-cli --cluster create`. Resolves once
 * every node says the cluster is ok.
 */
export async function startRedisCluster(t: Test, size = 3) {
  const dir = mkdtempSync(join(tmpdir(), 'redis-cluster-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const taken = new Set<number>()
  const ports: number[] = []
  for (let i = 0; i < size; i++) {
    const port = await freeClusterPort(taken)
    taken.add(port).add(port + 10_000)
    ports.push(port)
  }
  for (const port of ports) {
    const child = spawn('redis-server', [
      '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir,
      '--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`, '--cluster-node-timeout', '5000',
    ], { stdio: 'ignore' })
    t.teardown(() => child.kill('SIGKILL'))
  }
  for (const port of ports) await until(`cluster node ${port} answers`, () => redisPing(port))
  const created = spawnSync('redis-cli', ['--cluster', 'create', ...ports.map((port) => `127.0.0.1:${port}`), '--cluster-replicas', '0', '--cluster-yes'], { encoding: 'utf8' })
  if (created.status !== 0) throw new Error(`redis-cli --cluster create failed: ${created.stdout}${created.stderr}`)
  await until('every node says the cluster is ok', () => ports.every((port) =>
    /cluster_state:ok/.test(spawnSync('redis-cli', ['-p', String(port), 'cluster', 'info'], { encoding: 'utf8' }).stdout)), 30_000)
  return { ports, nodes: ports.map((port) => `127.0.0.1:${port}`).join(',') }
}
