// Compiles src/ into dist/, or with --when-stale only if a source or tsconfig changed since the
// last build: `npm start` spent 6 s (52 s on a fresh clone) recompiling what had not changed.
// Plain JavaScript, so it runs where only the production dependencies are installed.
import { spawnSync } from 'node:child_process'
import { readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'

const stamp = 'dist/.build-stamp'
const inputs = ['tsconfig.json', 'tsconfig.build.json']

function newestChange(path) {
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestChange(join(path, name))))
}

const builtAt = () => { try { return statSync(stamp).mtimeMs } catch { return -Infinity } }
const whenStale = process.argv.includes('--when-stale')
// After npm install --omit=dev there is no compiler; dist/ then comes from wherever it was built.
const optional = process.argv.includes('--optional')

if (whenStale && Math.max(newestChange('src'), ...inputs.map(newestChange)) < builtAt()) process.exit(0)

let tsc
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
} catch {
  if (optional) process.exit(0)
  console.error('error: dist/ is older than src/ and TypeScript is not installed; run npm install with the dev dependencies, or npm run build where they are')
  process.exit(1)
}
// The time the build started: a source saved while tsc runs makes the next start build again.
const started = new Date()
console.error('building dist/ (tsc -p tsconfig.build.json)')
const { status } = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' })
if (status !== 0) process.exit(status ?? 1)
writeFileSync(stamp, '')
utimesSync(stamp, started, started)
