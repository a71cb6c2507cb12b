// Loaded into the soaked server with --import: reports its memory and open handles to the
// parent over IPC, without keeping the process alive on its own.
const intervalMs = Number(process.env.SOAK_PROBE_MS ?? 1000)
process.channel?.unref()
setInterval(() => {
  const { rss, heapUsed, external } = process.memoryUsage()
  process.send?.({ rss, heapUsed, external, handles: process.getActiveResourcesInfo().length })
}, intervalMs).unref()
