import type { Page } from 'playwright-core'

/**
 * Waits until a JavaScript expression is true in the page. Not page.waitForFunction: it polls a
 * string predicate by eval inside the page, which the page's CSP (script-src 'self') refuses as
 * soon as the first check is false; page.evaluate goes through the DevTools protocol instead.
 */
export async function waitForExpression(page: Page, expression: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs
  while (!(await page.evaluate(expression))) {
    if (Date.now() > deadline) throw new Error(`not true within ${timeoutMs} ms: ${expression}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}
