/**
 * The benchmark suite: each scenario in its own process, one after another, each bounded in
 * time. Prints every scenario's own report, then one summary table, and writes the figures to
 * bench/results/latest.json.
 *   npm run bench                 every scenario
 *   npm run bench -- chat upload  some of them
 */
import { spawn } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, totalmem } from 'node:os'

const scenarios = ['followers', 'follow-churn', 'page-depth', 'inbox-depth', 'chat', 'fanout', 'presence-fanout', 'login-storm', 'idle-sockets', 'upload', 'cold-start']
const LIMIT_MS = 10 * 60_000

const wanted = process.argv.slice(2)
const unknown = wanted.filter((name) => !scenarios.includes(name))
if (unknown.length > 0) {
  console.error(`unknown scenario: ${unknown.join(', ')}; choose from ${scenarios.join(', ')}`)
  process.exit(2)
}

function run(name: string): Promise<Record<string, unknown> | { scenario: string, error: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', `bench/${name}.ts`], { stdio: ['ignore', 'pipe', 'inherit'] })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk
      process.stdout.write(chunk)
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), LIMIT_MS)
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      const result = output.split('\n').reverse().find((line) => line.startsWith('{"scenario"'))
      if (code === 0 && result) resolve(JSON.parse(result) as Record<string, unknown>)
      else resolve({ scenario: name, error: signal ? `killed (${signal})` : `exited with ${code}` })
    })
  })
}

const machine = { cpus: cpus().length, cpu: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, loadBefore: loadavg().map((load) => Number(load.toFixed(2))) }
console.log(`machine: ${machine.cpus} x ${machine.cpu}, ${machine.memoryGiB} GiB, Node ${machine.node}, load ${machine.loadBefore.join(' ')}`)

const results = []
for (const name of wanted.length > 0 ? wanted : scenarios) {
  console.log(`\n=== ${name} ===`)
  results.push(await run(name))
}

console.log('\n=== summary ===')
for (const { scenario, ...figures } of results) {
  console.log(`${String(scenario).padEnd(13)} ${Object.entries(figures).map(([key, value]) => `${key}=${typeof value === 'object' ? JSON.stringify(value) : value}`).join('  ')}`)
}
mkdirSync('bench/results', { recursive: true })
writeFileSync('bench/results/latest.json', `${JSON.stringify({ date: new Date().toISOString(), machine, results }, null, 2)}\n`)
console.log('\nwritten to bench/results/latest.json')
if (results.some((result) => 'error' in result)) process.exitCode = 1
