import { once } from 'node:events'
import { createServer } from 'node:net'
import type { Config } from './config.js'
import { ConfigError } from './config.js'
import { DataDirLockedError } from './db/lock.js'
import { driverErrorCode } from './db/errors.js'
import { SchemaBehindError } from './db/migrate.js'

/** Fails as listen would, before anything is opened: a port in use was found only after the database had been opened and migrated. */
export async function assertPortFree(host: string, port: number): Promise<void> {
  if (port === 0) return
  const probe = createServer()
  probe.listen({ host, port, exclusive: true })
  const [outcome] = await Promise.race([once(probe, 'listening'), once(probe, 'error')]) as [Error | undefined]
  if (outcome instanceof Error) throw outcome
  await new Promise((resolve) => probe.close(resolve))
}

/** Where the database is, for a person: the URL without its password, or PGlite's directory. */
export function databaseShown(database: Config['database']): string {
  if ('pgliteDir' in database) return database.pgliteDir ? `PGlite in ${database.pgliteDir}` : 'PGlite in memory'
  const url = new URL(database.url)
  if (url.password) url.password = '***'
  return url.href
}

/** Where Redis is, or none: the URL without its password, or the cluster's nodes. */
export function redisShown(redis: Config['redis']): string {
  if (!redis) return 'none'
  if ('clusterNodes' in redis) return `cluster ${redis.clusterNodes.map((node) => typeof node === 'object' ? `${node.host}:${node.port}` : String(node)).join(',')}`
  const url = new URL(redis.url)
  if (url.password) url.password = '***'
  return url.href
}

const unreachable = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'CONNECT_TIMEOUT'])

/**
 * The one line a start-up failure is told in: its cause and the setting to change. Undefined
 * for anything else (a bug), which is shown whole.
 */
export function startupFailure(error: unknown, config: Config | undefined): string | undefined {
  if (error instanceof ConfigError || error instanceof DataDirLockedError || error instanceof SchemaBehindError) return error.message
  const code = driverErrorCode(error)
  if (config && (code === 'EADDRINUSE' || code === 'EACCES') && (error as { syscall?: string }).syscall === 'listen') {
    return code === 'EADDRINUSE'
      ? `PORT: ${config.host}:${config.port} is already in use; stop what listens there or set PORT (or HOST) to another`
      : `PORT: ${config.host}:${config.port} may not be listened on by this user; set PORT to 1024 or above`
  }
  if (!config || !('url' in config.database) || code === undefined) return undefined
  const url = new URL(config.database.url)
  const where = `${url.hostname}:${url.port || 5432}`
  const name = decodeURIComponent(url.pathname.slice(1)) || url.username
  if (code === '3D000') {
    return `DATABASE_URL: database "${name}" does not exist on ${where}; create it (createdb -h ${url.hostname} -p ${url.port || 5432} -U ${url.username || 'postgres'} ${name}) or name another`
  }
  if (code === '28P01' || code === '28000') return `DATABASE_URL: ${where} refused user "${decodeURIComponent(url.username)}" (${causeMessage(error)})`
  if (unreachable.has(code)) return `DATABASE_URL: no PostgreSQL server answers at ${where} (${code}); start it, or correct the host and port`
  return undefined
}

function causeMessage(error: unknown): string {
  const { cause, message } = error as { cause?: { message?: string }, message?: string }
  return cause?.message ?? message ?? String(error)
}
