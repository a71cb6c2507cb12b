import t from 'tap'
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

// Infrastructure is handed what it needs from app.ts; it never reaches into a feature.
const src = resolve(dirname(fileURLToPath(import.meta.url)), '../src')

const filesUnder = (dir: string): string[] => readdirSync(dir, { withFileTypes: true })
  .flatMap((entry) => (entry.isDirectory() ? filesUnder(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : []))

const importsOf = (file: string) => [...readFileSync(file, 'utf8').matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)]
  .map((match) => match[1] ?? match[2] ?? '')
  .filter((specifier) => specifier.startsWith('.'))
  .map((specifier) => resolve(dirname(file), specifier))

t.test('src/plugins imports nothing from src/features, types included', async (t) => {
  const plugins = filesUnder(join(src, 'plugins'))
  t.ok(plugins.length > 5, 'the plugins were found')
  const offending = plugins.flatMap((file) => importsOf(file)
    .filter((target) => relative(join(src, 'features'), target).split('/')[0] !== '..')
    .map((target) => `${relative(src, file)} -> ${relative(src, target)}`))
  t.same(offending, [])
})

t.test('the check sees an import from a feature', async (t) => {
  const imports = importsOf(join(src, 'app.ts'))
  t.ok(imports.some((target) => target.startsWith(join(src, 'features'))), 'app.ts imports features, as it should')
})
