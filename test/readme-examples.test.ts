import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import t from 'tap'
import { childProcessEnv } from './helper.js'

const script = fileURLToPath(new URL('./readme-examples.sh', import.meta.url))
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
const count = (pattern: RegExp) => readme.split('\n').filter((line) => pattern.test(line)).length

t.test('the README’s curl and HTTPie examples work against a real server', async (t) => {
  const run = await promisify(execFile)('bash', [script], { timeout: 120_000, maxBuffer: 16 * 1024 * 1024, env: childProcessEnv() })
    .catch((error: { code?: number, stdout?: string, stderr?: string }) => error)
  t.equal(run.stderr, '', 'nothing on stderr')
  const summary = /ran (\d+) curl and (\d+) HTTPie examples/.exec(run.stdout ?? '')
  if (!summary) {
    t.fail(`test/readme-examples.sh failed:\n${run.stdout ?? ''}\n${run.stderr ?? ''}`)
    return
  }
  t.equal(Number(summary[1]), count(/^(curl |\w+=\$\(curl )/), 'every curl line of the README ran')
  const skipped = /HTTPie \(http\) is not installed/.test(run.stdout ?? '')
  if (skipped) t.comment('HTTPie is not installed here: its README examples were skipped')
  else t.equal(Number(summary[2]), count(/^http /), 'every HTTPie line of the README ran')
})
