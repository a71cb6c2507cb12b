import t from 'tap'
import { readFileSync } from 'node:fs'
import semver from 'semver'

// npm printed EBADENGINE on the Node the README named: two dependencies (content-disposition
// 3.1, cookie 2.0.2) need Node >= 22 while package.json and the README said 20.
interface Locked { version?: string, engines?: { node?: string } | string[], os?: string[], cpu?: string[], optional?: boolean, dev?: boolean }
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, Locked> }
const { engines } = JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } }
const installedHere = (entry: Locked) =>
  (!entry.os || entry.os.includes(process.platform)) && (!entry.cpu || entry.cpu.includes(process.arch))

t.test('every Node that engines admits is one every installed dependency admits', async (t) => {
  const refusing = Object.entries(lock.packages)
    .filter(([path, entry]) => path !== '' && installedHere(entry))
    .flatMap(([path, entry]) => {
      const range = Array.isArray(entry.engines) ? undefined : entry.engines?.node
      return range && !semver.subset(engines.node, range) ? [`${path.replace(/^.*node_modules\//, '')}@${entry.version} wants node ${range}`] : []
    })
  t.same(refusing, [], `engines.node ${engines.node}`)
})

t.test('the README names the Node of engines', async (t) => {
  const readme = readFileSync('README.md', 'utf8')
  const major = semver.minVersion(engines.node)?.major
  t.match(readme, new RegExp(`^Node\\.js ${major}\\b.*\\(\`engines\` in package\\.json\\)`, 'm'))
})
