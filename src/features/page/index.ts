import { readFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'

// src/features/page and dist/features/page both sit three levels below the project root.
const publicDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../../public')

const assets = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
}

/**
 * Helmet's default policy, minus upgrade-insecure-requests: that would make a browser fetch
 * the script and open the socket over TLS, which a server reached over plain HTTP (a laptop,
 * a LAN address) does not speak. Only this page's own files, same-origin fetches and sockets.
 */
const PAGE_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

async function sendAsset(reply: FastifyReply, name: keyof typeof assets) {
  // The files are small and change with a deploy; revalidating keeps a browser from running an old script.
  return reply.type(assets[name]).header('cache-control', 'no-cache').send(await readFile(join(publicDir, name)))
}

/** GET / over plain HTTP: the page for a browser, a signpost for API clients. */
export async function home(request: FastifyRequest, reply: FastifyReply) {
  if (!request.headers.accept?.includes('text/html')) return { name: 'social-api', docs: '/docs', chat: '/chat' }
  void reply.header('content-security-policy', PAGE_POLICY)
  return sendAsset(reply, 'index.html')
}

/** The page's script and style sheet; the page itself is served by the route on / (see home). */
const page: FastifyPluginAsync = async (app) => {
  for (const name of ['app.js', 'app.css'] as const) {
    app.get(`/${name}`, { schema: { hide: true } }, (_request, reply) => sendAsset(reply, name))
  }
}

export default page
