import t from 'tap'
import { buildTestApp } from './helper.js'

const app = await buildTestApp(t)

t.test('a browser asking for / gets the page, under a policy that allows only its own files', async (t) => {
  const page = await app.inject({ url: '/', headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } })
  t.equal(page.statusCode, 200)
  t.match(page.headers['content-type'], /^text\/html/)
  t.match(page.body, /<script type="module" src="\/app\.js"><\/script>/)
  const policy = String(page.headers['content-security-policy'])
  t.match(policy, /script-src 'self'/)
  t.match(policy, /connect-src 'self'/)
  t.notMatch(policy, /upgrade-insecure-requests/, 'the page works over plain HTTP')
})

t.test('an API client asking for / still gets the signpost', async (t) => {
  const root = await app.inject({ url: '/', headers: { accept: 'application/json' } })
  t.same(root.json(), { name: 'social-api', docs: '/docs', chat: '/chat' })
})

t.test('the page’s script and style sheet', async (t) => {
  const script = await app.inject({ url: '/app.js' })
  t.equal(script.statusCode, 200)
  t.match(script.headers['content-type'], /^text\/javascript/)
  t.match(script.body, /new WebSocket\(/)
  const style = await app.inject({ url: '/app.css' })
  t.match(style.headers['content-type'], /^text\/css/)
  t.equal(style.headers['cache-control'], 'no-cache')
  t.equal((await app.inject({ url: '/app.ts' })).statusCode, 404, 'nothing else under / is served from public/')
})
