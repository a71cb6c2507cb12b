import closeWithGrace from 'close-with-grace'
import { buildApp } from './app.js'
import { ConfigError, loadConfig } from './config.js'
import { DataDirLockedError } from './db/lock.js'
import { SchemaBehindError } from './db/migrate.js'

try {
  process.loadEnvFile()
} catch (error) {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
}

async function start() {
  const config = loadConfig(process.env)
  const app = await buildApp(config)
  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'closing after an uncaught error')
    else app.log.info({ signal }, 'closing')
    await app.close()
  })
  await app.listen({ port: config.port, host: config.host })
}

start().catch((error: unknown) => {
  // Configuration mistakes get one clear line, not a stack trace.
  if (error instanceof ConfigError || error instanceof DataDirLockedError || error instanceof SchemaBehindError) {
    console.error(`error: ${error.message}`)
  } else {
    console.error(error)
  }
  process.exit(1)
})
