import { once } from 'node:events'
import { createServer, connect, type Server, type Socket } from 'node:net'

/**
 * A TCP proxy between the app and PostgreSQL, to take the database away without touching the
 * server other tests use: cut() destroys every connection and closes the port (new
 * connections are refused, as when PostgreSQL is down); restore() listens again on that port.
 */
export async function createTcpProxy(target: { host: string, port: number }) {
  const sockets = new Set<Socket>()
  let server: Server | undefined
  let port = 0

  function track(socket: Socket) {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
    socket.on('error', () => {})
  }

  async function listen() {
    server = createServer((client) => {
      track(client)
      const upstream = connect(target.port, target.host)
      track(upstream)
      client.pipe(upstream).pipe(client)
      client.once('close', () => upstream.destroy())
      upstream.once('close', () => client.destroy())
    })
    server.listen(port, '127.0.0.1')
    await once(server, 'listening')
    port = (server.address() as { port: number }).port
  }

  await listen()
  return {
    get port() {
      return port
    },
    /** Where a postgres:// URL to the target should point instead. */
    redirect(url: string) {
      const redirected = new URL(url)
      redirected.hostname = '127.0.0.1'
      redirected.port = String(port)
      return redirected.href
    },
    async cut() {
      const closing = server
      server = undefined
      for (const socket of sockets) socket.destroy()
      if (closing) await new Promise((resolve) => closing.close(resolve))
    },
    async restore() {
      if (!server) await listen()
    },
    async close() {
      await this.cut()
    },
  }
}
export type TcpProxy = Awaited<ReturnType<typeof createTcpProxy>>
