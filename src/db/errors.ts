/** The driver's error code (a SQLSTATE, or a connection code such as ECONNREFUSED), under Drizzle's wrapper if there is one. */
export function driverErrorCode(error: unknown): string | undefined {
  const { cause, code } = error as { cause?: { code?: unknown }, code?: unknown }
  const found = cause?.code ?? code
  return typeof found === 'string' ? found : undefined
}
