import fp from 'fastify-plugin'
import type { Config } from '../config.js'
import { openDatabase, type Database } from '../db/client.js'

declare module 'fastify' {
  interface FastifyInstance {
    database: Database
  }
}

export default fp<{ settings: Config['database'] }>(async function database(app, { settings }) {
  const database = await openDatabase(settings)
  app.decorate('database', database)
  app.addHook('onClose', () => database.close())
}, { name: 'database' })
