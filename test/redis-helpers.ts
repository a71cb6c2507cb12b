import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { createConnection } from 'node:net'
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
