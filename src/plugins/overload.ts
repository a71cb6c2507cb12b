import underPressure from '@fastify/under-pressure'
import type { FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { Config } from '../config.js'
import { errorBody } from './errors.js'

export interface OverloadOptions {
  settings: Config['shed']
  /** Route patterns answered however loaded the process is (liveness, metrics). */
  alwaysAnswered: readonly string[]
}

/**
 * Sheds load instead of queueing it: while the event loop's mean lag over the last sample is
 * past its bound, or a statement has waited for a database connection longer than the wait
 * bound, every HTTP request but the always-answered ones gets 503 SERVICE_UNAVAILABLE with
 * Retry-After at once; a request queued behind the others would only time out later. Open
 * WebSockets are not HTTP requests and keep going; new upgrades are shed like any request.
 */
export default fp<OverloadOptions>(async function overload(app, { settings, alwaysAnswered }) {
  const { eventLoopDelayMs, waitMs, sampleMs, retryAfterSeconds } = settings
  if (eventLoopDelayMs === 0 && waitMs === 0) return
  const { pool } = app.database
  const exempt = new Set(alwaysAnswered)
  const shed = app.metrics.counter({
    name: 'http_requests_shed_total',
    help: 'Requests answered 503 at once because the process was overloaded, by cause',
    labelNames: ['cause'],
  })
  let shedding = false

  function pressureHandler(request: FastifyRequest, reply: FastifyReply, type: string) {
    if (exempt.has(request.routeOptions.url ?? '')) return undefined
    const cause = type === 'healthCheck' ? 'database_wait' : 'event_loop_delay'
    shed.inc({ cause })
    if (!shedding) {
      shedding = true
      // One line per episode, not one per request refused.
      app.log.warn({ cause }, 'overloaded: answering 503 until the load falls')
      setTimeout(() => {
        shedding = false
      }, sampleMs).unref()
    }
    void reply.code(503).header('retry-after', retryAfterSeconds)
    return errorBody('SERVICE_UNAVAILABLE', `the server is overloaded; retry in ${retryAfterSeconds} seconds`)
  }

  await app.register(underPressure, {
    maxEventLoopDelay: eventLoopDelayMs,
    sampleInterval: sampleMs,
    ...(waitMs > 0 && {
      healthCheck: async () => pool.longestWaitMs() <= waitMs,
      healthCheckInterval: Math.min(sampleMs, waitMs),
    }),
    // The plugin sends what the handler returns and ends the request; its type says void, which
    // would let the request go on (its answer to undefined, for the always-answered routes).
    pressureHandler: pressureHandler as (request: FastifyRequest, reply: FastifyReply, type: string) => void,
  })
}, { name: 'overload', dependencies: ['database', 'metrics'] })
