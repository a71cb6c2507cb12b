// Preloaded into a bench's server (`node --expose-gc --import <this file>`): on SIGWINCH it runs a
// full garbage collection and writes process.memoryUsage() to HEAP_PROBE_FILE, so a bench can
// tell what the heap holds alive from what it has not collected yet. SIGWINCH, because
// close-with-grace closes the server on SIGUSR2.
import { writeFileSync } from 'node:fs'

process.on('SIGWINCH', () => {
  globalThis.gc?.()
  writeFileSync(process.env.HEAP_PROBE_FILE ?? '/dev/null', JSON.stringify(process.memoryUsage()))
})
