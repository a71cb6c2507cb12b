import fp from 'fastify-plugin'

/**
 * On close Node reaps only the keep-alive connections idle at that moment; one whose request
 * was still in flight stays open after answering, and close() would wait for the client to
 * hang up. Reaping again until the server has closed lets in-flight requests finish and
 * nothing else hold the process.
 */
export default fp(async function gracefulClose(app) {
  app.addHook('preClose', async () => {
    if (!app.server.listening) return
    const reaper = setInterval(() => app.server.closeIdleConnections(), 50)
    app.server.once('close', () => clearInterval(reaper))
  })
}, { name: 'graceful-close' })
