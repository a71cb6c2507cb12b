import WebSocket from 'ws'

export interface Ack { id: number, clientMessageId: string, messageText: string }

/**
 * A chat client that behaves as docs/chat.md asks: every message has a clientMessageId, and
 * after any close it reconnects and resends whatever was not acknowledged. It records every
 * ack it was given, to be compared with the database afterwards.
 */
export function startChatLoad(options: { url: string, token: string, recipientId: number, prefix: string, intervalMs?: number }) {
  const { url, token, recipientId, prefix, intervalMs = 5 } = options
  const unacked = new Map<string, string>()
  const acks = new Map<string, Ack>()
  const closes: number[] = []
  const refusals: string[] = []
  let socket: WebSocket | undefined
  let sending = true
  let stopped = false
  let sequence = 0
  let connecting: Promise<void> | undefined

  const send = (clientMessageId: string, messageText: string) =>
    socket?.send(JSON.stringify({ type: 'message', recipientId, messageText, clientMessageId }))

  function connect(): Promise<void> {
    return new Promise((resolve) => {
      const next = new WebSocket(url, { headers: { authorization: `Bearer ${token}` } })
      next.on('error', () => {})
      next.once('unexpected-response', (request) => {
        request.destroy()
        resolve()
      })
      next.once('open', () => {
        socket = next
        for (const [clientMessageId, messageText] of unacked) send(clientMessageId, messageText)
        resolve()
      })
      next.on('message', (data) => {
        const frame = JSON.parse(data.toString()) as { type: string, code?: string } & Ack
        if (frame.type === 'ack') {
          if (unacked.get(frame.clientMessageId) !== frame.messageText && !acks.has(frame.clientMessageId)) {
            refusals.push(`an ack for something not sent: ${frame.clientMessageId}`)
          }
          unacked.delete(frame.clientMessageId)
          acks.set(frame.clientMessageId, { id: frame.id, clientMessageId: frame.clientMessageId, messageText: frame.messageText })
        } else if (frame.type === 'error') {
          refusals.push(`${frame.code}`)
        }
      })
      next.once('close', (code) => {
        if (socket === next) {
          socket = undefined
          closes.push(code)
        }
        resolve()
      })
    })
  }

  const timer = setInterval(() => {
    if (stopped) return
    if (socket?.readyState === WebSocket.OPEN) {
      if (!sending) return
      const clientMessageId = `${prefix}-${++sequence}`
      const messageText = `message ${sequence} from ${prefix}`
      unacked.set(clientMessageId, messageText)
      send(clientMessageId, messageText)
    } else if (!socket && !connecting) {
      connecting = connect().finally(() => {
        connecting = undefined
      })
    }
  }, intervalMs)

  return {
    acks,
    unacked,
    closes,
    refusals,
    get sent() {
      return sequence
    },
    /** Stops sending new messages and waits (up to timeoutMs) for every one sent to be acked. */
    async finish(timeoutMs = 15_000) {
      sending = false
      const deadline = Date.now() + timeoutMs
      while (unacked.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50))
      stopped = true
      clearInterval(timer)
      await connecting
      socket?.close()
    },
    /** Stops at once, acked or not (the server is gone). */
    async abandon() {
      stopped = true
      clearInterval(timer)
      socket?.terminate()
      await connecting
    },
  }
}
export type ChatLoad = ReturnType<typeof startChatLoad>
