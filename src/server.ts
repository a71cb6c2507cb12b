import closeWithGrace from 'close-with-grace'
import { buildApp } from './app.js'
import { loadConfig, type Config } from './config.js'
import { prettyStream } from './logger.js'
import { appliedMigrations } from './db/migrate.js'
import { assertPortFree, databaseShown, redisShown, startupFailure } from './startup.js'

try {
  process.loadEnvFile()
} catch (error) {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
}

let config: Config | undefined

async function start() {
  config = loadConfig(process.env)
  await assertPortFree(config.host, config.port)
  // A person at a terminal reads the logs; anything else (a pipe, a file, a collector) gets JSON lines.
  const app = await buildApp(config, { ...(process.stdout.isTTY && !config.production && { logStream: prettyStream() }) })
  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'closing after an uncaught error')
    else app.log.info({ signal }, 'closing')
    await app.close()
  })
  const { applied, of, newest } = await appliedMigrations(app.database.db)
  const running = `database ${databaseShown(config.database)}, migrations ${applied} of ${of} applied (newest ${newest}), redis ${redisShown(config.redis)}`
  // Fastify's own line, told everything a person starting the server wants to know.
  await app.listen({ port: config.port, host: config.host, listenTextResolver: (address) => `listening at ${address}: ${running}` })
}

start().catch((error: unknown) => {
  // Mistakes in the settings or the surroundings get one clear line, not a stack trace.
  const line = startupFailure(error, config)
  if (line) console.error(`error: ${line}`)
  else console.error(error)
  process.exit(1)
})
