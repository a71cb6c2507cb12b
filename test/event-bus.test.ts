import t from 'tap'
import { createEventBus, defineEvent } from '../src/plugins/event-bus.js'
import { buildTestApp } from './helper.js'

const pinged = defineEvent<{ n: number }>('test.pinged')
const other = defineEvent<{ text: string }>('test.other')

function quietLog() {
  const errors: unknown[] = []
  const log = { error: (...args: unknown[]) => errors.push(args) } as unknown as Parameters<typeof createEventBus>[0]
  return { log, errors }
}

t.test('a published event reaches this process\'s subscribers of its type at once, as from here', async (t) => {
  const bus = createEventBus(quietLog().log)
  const heard: unknown[] = []
  bus.subscribe(pinged, (payload, origin, audience) => heard.push([payload, origin, audience]))
  bus.subscribe(other, (payload) => heard.push(payload))
  const published = bus.publish(pinged, { n: 1 }, { to: [1, 2] })
  t.same(heard, [[{ n: 1 }, 'here', [1, 2]]], 'synchronously, before publish resolves, for the users it was published to')
  await published
})

t.test('events from elsewhere reach subscribers as from elsewhere; unsubscribing stops them', async (t) => {
  const bus = createEventBus(quietLog().log)
  const heard: unknown[] = []
  const unsubscribe = bus.subscribe(pinged, (payload, origin, audience) => heard.push([payload, origin, audience]))
  bus.receive({ type: 'test.pinged', n: 2 }, [9])
  bus.receive({ type: 'test.pinged', n: 3 })
  bus.receive({ type: 'test.unknown', n: 4 })
  unsubscribe()
  bus.receive({ type: 'test.pinged', n: 5 })
  t.same(heard, [[{ n: 2 }, 'elsewhere', [9]], [{ n: 3 }, 'elsewhere', undefined]])
})

t.test('a failing handler costs neither the publisher nor the other handlers', async (t) => {
  const { log, errors } = quietLog()
  const bus = createEventBus(log)
  const heard: number[] = []
  bus.subscribe(pinged, () => { throw new Error('handler bug') })
  bus.subscribe(pinged, ({ n }) => heard.push(n))
  await bus.publish(pinged, { n: 5 })
  t.same(heard, [5])
  t.equal(errors.length, 1, 'logged')
})

t.test('a relay carries each event with its name; resets say whether events may be missed', async (t) => {
  const bus = createEventBus(quietLog().log)
  const sent: unknown[] = []
  bus.relay = { send: async (event, options) => { sent.push([event, options]) } }
  await bus.publish(pinged, { n: 6 }, { to: [3] })
  t.same(sent, [[{ type: 'test.pinged', n: 6 }, { to: [3] }]])
  let resets = 0
  const stop = bus.onReset(() => resets++)
  t.equal(bus.complete, true)
  bus.reset(false)
  t.equal(bus.complete, false)
  bus.reset(true)
  stop()
  bus.reset(true)
  t.same([bus.complete, resets], [true, 2])
})

t.test('without Redis the app\'s bus dispatches locally only', async (t) => {
  const app = await buildTestApp(t)
  const heard: unknown[] = []
  app.bus.subscribe(pinged, (payload, origin) => heard.push([payload, origin]))
  await app.bus.publish(pinged, { n: 7 })
  t.same(heard, [[{ n: 7 }, 'here']])
  t.equal(app.bus.complete, true)
})
