import { defineConfig } from 'drizzle-kit'
import { databaseOf } from './src/config.js'

// The server reads .env too: both must find the same database.
try {
  process.loadEnvFile()
} catch (error) {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
}

const database = databaseOf(process.env)
if (!('url' in database)) {
  throw new Error('npm run migration:run migrates PostgreSQL: set DATABASE_URL (or DB_HOST and DB_NAME); the server migrates its embedded PGlite itself when it starts')
}

export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema.ts',
  out: './drizzle',
  dbCredentials: { url: database.url },
  migrations: { table: '__drizzle_migrations', schema: 'drizzle' },
})
