import fp from 'fastify-plugin'
import type { Config } from '../config.js'
import { openDatabase, type Database } from '../db/client.js'

declare module 'fastify' {
  interface FastifyInstance {
    database: Database
  }
}

export default fp<{ settings: Config['database'], migrate: boolean }>(async function database(app, { settings, migrate }) {
  const database = await openDatabase(settings, { migrate })
  app.decorate('database', database)
  app.addHook('onClose', () => database.close())
}, { name: 'database' })
