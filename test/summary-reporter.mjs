/**
 * tap's reporter for `npm test`: the usual live one on a terminal; elsewhere (CI logs, pipes) a
 * line per test file, every failed assertion with its details, and tap's closing comments,
 * `# { total: N, pass: P, fail: F }` included, instead of thousands of lines of raw TAP.
 */
import { Base } from '@tapjs/reporter'
import { Minipass } from 'minipass'

const result = /^(not )?ok \d+ - (.*?)(?: # (.*))?$/

export class Summary extends Minipass {
  #pending = ''
  #file = []
  #failures = []
  #inYaml = false
  #keepYaml = false

  write(chunk, encoding, callback) {
    const lines = (this.#pending + chunk.toString()).split('\n')
    this.#pending = lines.pop() ?? ''
    for (const line of lines) this.#line(line)
    if (typeof encoding === 'function') encoding()
    else if (typeof callback === 'function') callback()
    return true
  }

  end(chunk, encoding, callback) {
    if (chunk && typeof chunk !== 'function') this.write(chunk)
    if (this.#pending) this.#line(this.#pending)
    this.#pending = ''
    return super.end(typeof chunk === 'function' ? chunk : typeof encoding === 'function' ? encoding : callback)
  }

  #line(line) {
    if (line.startsWith(' ')) return this.#inside(line)
    const top = result.exec(line)
    if (top) {
      const [, failed, name, directive = ''] = top
      const time = /time=([\d.]+)ms/.exec(directive)
      const seconds = time ? ` (${(Number(time[1]) / 1000).toFixed(1)} s)` : ''
      const skipped = /^(skip|todo)\b/i.test(directive) ? ` # ${directive}` : ''
      super.write(`${failed ? 'FAIL' : 'ok  '} ${name}${seconds}${skipped}\n`)
      if (failed) for (const failure of this.#failures) super.write(`${failure}\n`)
      this.#failures = []
      this.#file = []
      return
    }
    if (line.startsWith('# Subtest:') || line.startsWith('TAP version') || /^1\.\.\d+$/.test(line) || line === '') return
    super.write(`${line}\n`)
  }

  // A failed assertion's line and its YAML details (between `---` and `...`) are kept for the
  // file's line; the names of the subtests around it say where it was (their own details, which
  // only point at the subtest's opening line, are left out).
  #inside(line) {
    const trimmed = line.trim()
    if (this.#inYaml) {
      if (this.#keepYaml) this.#failures.push(line)
      if (trimmed === '...') this.#inYaml = false
      return
    }
    if (trimmed === '---') {
      this.#inYaml = true
      const last = this.#file.at(-1) ?? ''
      this.#keepYaml = last.startsWith('not ok') && !last.includes('# time=')
      if (this.#keepYaml) this.#failures.push(line)
      return
    }
    if (trimmed.startsWith('# Subtest:')) this.#failures.push(line)
    else if (trimmed.startsWith('not ok')) this.#failures.push(line)
    else if (/^ok \d+/.test(trimmed)) this.#dropPassedSubtest(line)
    else if (trimmed.startsWith('Bail out!')) this.#failures.push(line)
    this.#file.push(trimmed)
  }

  // A subtest that passed needs no header in the failure report.
  #dropPassedSubtest(line) {
    const depth = line.length - line.trimStart().length
    const header = this.#failures.findLastIndex((kept) => kept.trimStart().startsWith('# Subtest:') &&
      kept.length - kept.trimStart().length === depth)
    if (header !== -1 && !this.#failures.slice(header + 1).some((kept) => kept.trimStart().startsWith('not ok'))) {
      this.#failures.splice(header)
    }
  }
}

export default process.stdout.isTTY ? Base : Summary
