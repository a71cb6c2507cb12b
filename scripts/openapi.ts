/**
 * Writes openapi.json and the client types generated from it (test/client/schema.d.ts).
 * The app is built with a fixed configuration, so the document depends on the routes alone.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import openapiTS, { astToString } from 'openapi-typescript'
import ts from 'typescript'
import { buildApp } from '../src/app.js'
import { loadConfig } from '../src/config.js'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
export const documentPath = join(root, 'openapi.json')
export const clientTypesPath = join(root, 'test/client/schema.d.ts')

/** The document as the app serves it at /docs/json. */
export async function currentDocument(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'social-api-openapi-'))
  const app = await buildApp(loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: 'memory://',
    JWT_SECRET: 'openapi-document-secret-of-at-least-32-bytes',
    DATA_DIR: join(dir, 'data'),
    UPLOAD_DIR: join(dir, 'images'),
  }))
  try {
    await app.ready()
    return `${JSON.stringify(app.swagger(), null, 2)}\n`
  } finally {
    await app.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

export async function clientTypes(document: string): Promise<string> {
  const ast = await openapiTS(JSON.parse(document), {
    // A file in a multipart body is sent as a Blob (FormData takes one), not as a string.
    transform: (schema) => (schema.format === 'binary' ? ts.factory.createTypeReferenceNode('Blob') : undefined),
  })
  return `// Generated from openapi.json by \`npm run openapi\`; do not edit.\n${astToString(ast)}`
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const document = await currentDocument()
  writeFileSync(documentPath, document)
  mkdirSync(dirname(clientTypesPath), { recursive: true })
  writeFileSync(clientTypesPath, await clientTypes(document))
  console.log(`wrote ${documentPath} and ${clientTypesPath}`)
}
