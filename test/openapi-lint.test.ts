import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import t from 'tap'
import { documentPath } from '../scripts/openapi.js'
import { childProcessEnv } from './helper.js'

// The two linters third-party tooling runs, on the committed document (the drift test keeps it
// the served one), with their recommended rulesets (redocly.yaml, .spectral.yaml).
const run = promisify(execFile)
const bin = (name: string) => new URL(`../node_modules/.bin/${name}`, import.meta.url).pathname
const quiet = childProcessEnv({ REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' })
const root = new URL('..', import.meta.url).pathname

/** Linters exit non-zero on errors; their JSON report is what counts. */
const report = async (command: string, args: string[]) => {
  const output = await run(bin(command), args, { cwd: root, env: quiet, maxBuffer: 64 * 1024 * 1024 })
    .catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }))
  return JSON.parse(output.stdout.slice(output.stdout.search(/[[{]/)))
}

t.test("Redocly's recommended rules find no error", async (t) => {
  const { totals, problems } = await report('redocly', ['lint', documentPath, '--format', 'json']) as
    { totals: { errors: number }, problems: { severity: string, ruleId: string, message: string }[] }
  t.equal(totals.errors, 0, problems.filter((problem) => problem.severity === 'error').map((problem) => `${problem.ruleId}: ${problem.message}`).join('\n'))
})

t.test("Spectral's spectral:oas rules find no error", async (t) => {
  const problems = await report('spectral', ['lint', '--format', 'json', '--quiet', documentPath]) as
    { severity: number, code: string, message: string, path: string[] }[]
  const errors = problems.filter((problem) => problem.severity === 0)
  t.same(errors.map((problem) => `${problem.code} at ${problem.path.join('.')}: ${problem.message}`), [])
})
