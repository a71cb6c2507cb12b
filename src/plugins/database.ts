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
  const { pool } = database
  const gauge = (name: string, help: string, value: () => number) => app.metrics.gauge({
    name,
    help: `${help} (${database.driver}: ${database.driver === 'pglite' ? 'one embedded connection' : 'postgres-js pool'}; counted from the statements the app starts)`,
    collect() {
      this.set(value())
    },
  })
  gauge('db_pool_size', 'Connections the pool may hold', () => pool.size)
  gauge('db_pool_in_use', 'Connections running a statement or transaction', pool.inUse)
  gauge('db_pool_waiting', 'Statements and transactions waiting for a connection', pool.waiting)
  gauge('db_pool_longest_wait_seconds', 'How long the statement waiting longest for a connection has waited', () => pool.longestWaitMs() / 1000)
  app.addHook('onClose', () => database.close())
}, { name: 'database', dependencies: ['metrics'] })
