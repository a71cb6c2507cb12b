import t from 'tap'
import { readFileSync } from 'node:fs'

// What a new user following the README tripped on, read from the text itself (the examples
// that call the API run in readme-examples.test.ts).
const readme = readFileSync('README.md', 'utf8')
const blocks = [...readme.matchAll(/^```bash\n([\s\S]*?)^```$/gm)].map(([, body]) => body as string)

t.test('each "Try it" block captures the token it sends', async (t) => {
  const [, tryIt = ''] = /^## Try it\n([\s\S]*?)^## /m.exec(readme) ?? []
  const examples = blocks.filter((body) => tryIt.includes(body) && body.includes('$TOKEN'))
  t.equal(examples.length, 2, 'curl and HTTPie')
  for (const block of examples) {
    const assigned = block.indexOf('TOKEN=$(')
    t.ok(assigned >= 0 && assigned < block.indexOf('$TOKEN'), `captures its own token: ${block.split('\n')[0]}`)
  }
})

t.test('HTTPie in scripts: --ignore-stdin', async (t) => {
  t.match(readme, /`--ignore-stdin`/)
})

t.test('WebSocket examples use a client one can get: npx wscat, not websocat', async (t) => {
  for (const file of ['README.md', 'docs/chat.md']) {
    const text = readFileSync(file, 'utf8')
    t.notMatch(text, /websocat/, `${file} names no websocat (Debian does not package it)`)
    t.match(text, /npx wscat /, file)
  }
})

t.test('the database is created before the server is started on it', async (t) => {
  const start = readme.indexOf('DATABASE_URL=postgres://postgres@127.0.0.1:5432/social npm start')
  const create = readme.search(/createdb [^\n]*social/)
  t.ok(create >= 0 && create < start, 'a createdb step comes first')
})

t.test('a section for people coming from the old service', async (t) => {
  const [, section = ''] = /^## Coming from the old service\n([\s\S]*?)^## /m.exec(readme) ?? []
  t.match(section, /app\.js/, 'no app.js')
  t.match(section, /3001/, 'the old port')
  t.match(section, /pages/, 'lists are pages')
  t.match(section, /decimal strings/, 'string ids')
  t.match(readme, /\[Coming from the old service\]\(#coming-from-the-old-service\)/, 'listed in the contents')
})
