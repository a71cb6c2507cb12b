import type { Metrics } from '../../plugins/metrics.js'

/**
 * The chat's counters. A new frame's counters go here too (`frames: metrics.counter({ name:
 * 'chat_..._total', ... })`), their labels from the frames' fixed codes and types.
 */
export function createChatMetrics(metrics: Metrics, socketsOpen: () => number) {
  metrics.gauge({
    name: 'chat_sockets_open',
    help: 'Chat WebSockets open on this process',
    collect() {
      this.set(socketsOpen())
    },
  })
  return {
    stored: metrics.counter({ name: 'chat_messages_stored_total', help: 'Messages written to the database (a resend of a stored message is not counted)' }),
    delivered: metrics.counter({
      name: 'chat_messages_delivered_total',
      help: "Message frames written to recipients' and senders' other sockets on this process, by where the message was stored",
      labelNames: ['origin'],
    }),
    refused: metrics.counter({ name: 'chat_messages_refused_total', help: 'Error frames sent to a client, by code', labelNames: ['code'] }),
    batchSize: metrics.histogram({
      name: 'chat_message_store_batch_size',
      help: 'Drafts written by one insert of the message store',
      buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
    }),
  }
}
export type ChatMetrics = ReturnType<typeof createChatMetrics>
