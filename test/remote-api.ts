/** The HTTP API of a server a test started in another process, called over a real socket. */
export interface RemoteServer {
  base: string
}

export async function call<T = unknown>(server: RemoteServer, method: string, path: string, token?: string, body?: unknown) {
  const response = await fetch(`${server.base}${path}`, {
    method,
    headers: { ...(body !== undefined && { 'content-type': 'application/json' }), ...(token && { authorization: `Bearer ${token}` }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return { status: response.status, headers: response.headers, body: await response.json() as T }
}

let counter = 0
/** A new account on that server, named `<prefix>_<pid>_<n>`. */
export async function registerOn(server: RemoteServer, prefix: string) {
  const username = `${prefix}_${process.pid % 10000}_${++counter}`
  const { status, body } = await call<{ user: { id: number }, token: string }>(server, 'POST', '/auth/register', undefined, { username, password: 'password123' })
  if (status !== 201) throw new Error(`register: ${status}`)
  return { id: body.user.id, username, token: body.token }
}
export type RemoteUser = Awaited<ReturnType<typeof registerOn>>
