import type { FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import {
  collectDefaultMetrics, Counter, Gauge, Histogram, Registry,
  type CounterConfiguration, type GaugeConfiguration, type HistogramConfiguration,
} from 'prom-client'

/**
 * The app's metrics, on a registry of its own (a test process builds many apps): infrastructure
 * and features alike make theirs here, `app.metrics.counter({ name, help, labelNames })`, and
 * GET /metrics serves them with the process's. Label values must come from a fixed set (a code,
 * a route pattern, an event name), never from a user id or a URL.
 */
export interface Metrics {
  readonly registry: Registry
  counter<Label extends string = never>(config: Omit<CounterConfiguration<Label>, 'registers'>): Counter<Label>
  gauge<Label extends string = never>(config: Omit<GaugeConfiguration<Label>, 'registers'>): Gauge<Label>
  histogram<Label extends string = never>(config: Omit<HistogramConfiguration<Label>, 'registers'>): Histogram<Label>
  /** The Prometheus text exposition of the process's metrics and the app's. */
  exposition(): Promise<string>
}

declare module 'fastify' {
  interface FastifyInstance {
    metrics: Metrics
  }
}

// CPU, memory, handles, GC and event-loop lag belong to the process, whichever app asks: one
// collector for all of them, or each app would start its own event-loop monitor.
let processRegistry: Registry | undefined
function processMetrics() {
  if (!processRegistry) {
    processRegistry = new Registry()
    collectDefaultMetrics({ register: processRegistry })
    // Gauges named like counters (promtool says so); nodejs_active_handles and the others by type tell the same.
    for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) {
      processRegistry.removeSingleMetric(name)
    }
  }
  return processRegistry
}

export function createMetrics(): Metrics {
  const registry = new Registry()
  const registers = [registry]
  // Asked twice for one name (a feature registered on two prefixes), the metric already made is handed back.
  const made = <Metric>(name: string, make: () => Metric) => (registry.getSingleMetric(name) as Metric | undefined) ?? make()
  return {
    registry,
    counter: (config) => made(config.name, () => new Counter({ ...config, registers })),
    gauge: (config) => made(config.name, () => new Gauge({ ...config, registers })),
    histogram: (config) => made(config.name, () => new Histogram({ ...config, registers })),
    exposition: async () => `${await processMetrics().metrics()}\n${await registry.metrics()}`,
  }
}

export const contentType = Registry.PROMETHEUS_CONTENT_TYPE

const methods = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])

/** The route's pattern (`/users/:id`), never the URL asked for; requests no route matched share one value. */
const routeOf = (request: FastifyRequest) => request.routeOptions.url ?? 'unmatched'

/** Request durations by route pattern, method and status class, for every app the plugin is registered on. */
export default fp(async function metrics(app) {
  const metrics = createMetrics()
  app.decorate('metrics', metrics)
  const duration = metrics.histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from a request arriving to its answer being sent, by route pattern, method and status class',
    labelNames: ['route', 'method', 'status_class'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  })
  app.addHook('onResponse', async (request, reply) => {
    duration.observe({
      route: routeOf(request),
      method: methods.has(request.method) ? request.method : 'OTHER',
      status_class: `${Math.floor(reply.statusCode / 100)}xx`,
    }, reply.elapsedTime / 1000)
  })
}, { name: 'metrics' })
