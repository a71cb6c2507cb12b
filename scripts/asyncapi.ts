/** Writes asyncapi.json, the AsyncAPI document the server serves at /docs/asyncapi.json. */
import { writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chatAsyncApi } from '../src/features/chat/asyncapi.js'

export const asyncApiPath = join(resolve(dirname(fileURLToPath(import.meta.url)), '..'), 'asyncapi.json')
export const asyncApiDocument = () => `${JSON.stringify(chatAsyncApi(), null, 2)}\n`

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFileSync(asyncApiPath, asyncApiDocument())
  console.log(`wrote ${asyncApiPath}`)
}
