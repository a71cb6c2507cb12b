import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Browser, type Page, type WebSocketRoute } from 'playwright-core'
import t from 'tap'
import { waitForExpression } from './browser-helpers.js'
import { buildTestApp, uniqueName } from './helper.js'
import { imageOf } from './picture-fixtures.js'

const CHROMIUM = '/usr/bin/chromium'

if (!existsSync(CHROMIUM)) {
  t.plan(0, `${CHROMIUM} is absent: install Debian's chromium (apt-get install -y chromium) to run the browser test`)
} else {
  await browserScenario()
}

async function browserScenario() {
  // SCREENSHOT_DIR keeps the screenshots; otherwise they go to a temporary directory.
  const shots = process.env.SCREENSHOT_DIR ?? mkdtempSync(join(tmpdir(), 'social-api-screens-'))
  mkdirSync(shots, { recursive: true })
  if (!process.env.SCREENSHOT_DIR) t.teardown(() => rmSync(shots, { recursive: true, force: true }))

  // Presence goes offline after a grace; a short one keeps the test quick (PRESENCE_GRACE, 3 s by default).
  const app = await buildTestApp(t, { PRESENCE_GRACE: '1s' })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`

  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM,
    // The machine has no network but loopback: Chromium's own background traffic is turned off.
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
  t.teardown(() => browser.close())

  /** A person in their own browser context (own storage), on a phone-sized or a desktop screen. */
  async function person(viewport: { width: number, height: number }) {
    const context = await browser.newContext({ viewport })
    context.setDefaultTimeout(10_000)
    const page = await context.newPage()
    const problems: string[] = []
    page.on('pageerror', (error) => problems.push(error.message))
    page.on('console', (message) => {
      if (message.type() === 'error' && /Refused|Content Security Policy|Uncaught/.test(message.text())) problems.push(message.text())
    })
    await page.goto(base)
    return { page, problems }
  }

  async function register(page: Page, username: string, password: string) {
    await page.getByLabel('Username').fill(username)
    await page.getByLabel('Password', { exact: true }).fill(password)
    await page.getByRole('button', { name: 'Register' }).click()
    await page.getByRole('heading', { name: 'Your profile' }).waitFor()
  }

  async function logIn(page: Page, username: string, password: string) {
    await page.getByLabel('Username').fill(username)
    await page.getByLabel('Password', { exact: true }).fill(password)
    await page.getByRole('button', { name: 'Log in' }).click()
    await page.getByRole('heading', { name: 'Your profile' }).waitFor()
  }

  /** Repeats an action until a condition holds: for frames the server may drop (typing is passed on at most every 2 s). */
  async function repeatUntil(page: Page, expression: string, action: () => Promise<void>, timeoutMs = 20_000) {
    const deadline = Date.now() + timeoutMs
    while (!(await page.evaluate(expression))) {
      if (Date.now() > deadline) throw new Error(`not true within ${timeoutMs} ms: ${expression}`)
      await action()
    }
  }

  async function find(page: Page, username: string) {
    await page.getByLabel('Search users by name').fill(username)
    // The list is busy from the key press (the search starts synchronously) until it is drawn.
    await page.getByLabel('Search users by name').press('Enter')
    await page.locator('#results[aria-busy="false"]').waitFor()
    await page.getByRole('button', { name: `Chat with ${username}` }).waitFor()
  }

  const messages = (page: Page) => page.getByRole('log', { name: 'Messages' })

  async function send(page: Page, text: string) {
    await page.getByRole('textbox', { name: 'Message' }).fill(text)
    await page.getByRole('textbox', { name: 'Message' }).press('Enter')
  }

  const pendingIn = (page: Page) => page.evaluate("document.querySelectorAll('#messages .pending').length")

  const aliceName = uniqueName('alice')
  const bobName = uniqueName('bob')
  const alice = await person({ width: 390, height: 844 })
  const bob = await person({ width: 1280, height: 900 })

  t.test('two people register, follow each other, share a picture and chat', async (t) => {
    await register(alice.page, aliceName, 'alice password')
    t.equal(await alice.page.locator('#session-name').textContent(), aliceName)

    await bob.page.getByLabel('Username').fill(aliceName.toUpperCase())
    await bob.page.getByLabel('Password', { exact: true }).fill('bob password')
    await bob.page.getByRole('button', { name: 'Register' }).click()
    await t.resolveMatch(bob.page.getByRole('alert').textContent(), /USERNAME_TAKEN \(HTTP 409\): username '.+' is taken/, 'an API error is shown plainly')
    await register(bob.page, bobName, 'bob password')

    await find(alice.page, bobName)
    await alice.page.getByRole('button', { name: `Follow ${bobName}` }).click()
    await alice.page.getByRole('button', { name: `Unfollow ${bobName}` }).waitFor()
    t.ok(await alice.page.getByRole('button', { name: `Chat with ${bobName}` }).isDisabled(), 'no chat before bob follows back')

    await alice.page.getByLabel('Profile picture').setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: await imageOf('png', 128, 96) })
    await alice.page.getByRole('button', { name: 'Upload picture' }).click()
    const avatar = alice.page.getByRole('img', { name: `Profile picture of ${aliceName}` })
    await avatar.waitFor()
    await waitForExpression(alice.page, "document.getElementById('avatar').naturalWidth > 0")
    t.match(await avatar.getAttribute('src'), /^\/images\/[A-Za-z0-9-]+\.webp$/, 'the uploaded picture is shown')

    await find(bob.page, aliceName)
    t.match(await bob.page.locator('#results li', { hasText: aliceName }).textContent(), /Follows you/)
    await bob.page.getByRole('button', { name: `Follow ${aliceName}` }).click()
    const chatWithAlice = bob.page.getByRole('button', { name: `Chat with ${aliceName}` })
    await waitForExpression(bob.page, `!document.querySelector('#results button[aria-label="Chat with ${aliceName}"]').disabled`)
    await waitForExpression(bob.page, "document.querySelector('#results li img')?.naturalWidth > 0")
    t.pass('bob sees alice’s picture beside her name')
    await bob.page.locator('#profile-counts', { hasText: '1 follower · 1 following' }).waitFor()
    t.pass('bob’s counts follow his follows')
    await chatWithAlice.click()

    await find(alice.page, bobName)
    await alice.page.getByRole('button', { name: `Chat with ${bobName}` }).click()
    await alice.page.getByRole('textbox', { name: 'Message' }).fill('Hello from Alice')
    await alice.page.getByRole('textbox', { name: 'Message' }).press('Enter')
    await messages(bob.page).getByText('Hello from Alice').waitFor()
    await messages(alice.page).locator('.message.mine:not(.pending)', { hasText: 'Hello from Alice' }).waitFor()
    t.pass('alice’s message reaches bob live and is acknowledged')

    await bob.page.getByRole('textbox', { name: 'Message' }).fill('Hi Alice, got it')
    await bob.page.getByRole('button', { name: 'Send' }).click()
    await messages(alice.page).getByText('Hi Alice, got it').waitFor()
    t.match(await messages(alice.page).locator('.message.theirs').last().textContent(), new RegExp(`^${bobName}Hi Alice, got it`))
    t.equal(await bob.page.evaluate('document.activeElement.id'), 'message', 'focus stays in the message field')

    await alice.page.screenshot({ path: join(shots, 'alice-phone.png'), fullPage: true })
    await bob.page.screenshot({ path: join(shots, 'bob-desktop.png'), fullPage: true })
    t.comment(`screenshots in ${shots}`)

    await bob.page.reload()
    await bob.page.getByRole('heading', { name: 'Your profile' }).waitFor()
    await find(bob.page, aliceName)
    await bob.page.getByRole('button', { name: `Chat with ${aliceName}` }).click()
    await messages(bob.page).getByText('Hi Alice, got it').waitFor()
    t.pass('after a reload the session and the history are back')

    t.same([...alice.problems, ...bob.problems], [], 'no script error or CSP refusal')
    t.equal(await alice.page.getByRole('alert').isHidden(), true, 'no error on alice’s page')
  })

  t.test('the inbox: unread badges on every device, a read receipt, typing and presence', async (t) => {
    await bob.page.getByRole('button', { name: 'Close chat' }).click()
    const bobsPhone = await person({ width: 390, height: 844 })
    await logIn(bobsPhone.page, bobName, 'bob password')
    await alice.page.locator('#chat-title .dot.online').waitFor()
    t.pass('alice sees bob online beside his name')

    await alice.page.getByRole('textbox', { name: 'Message' }).fill('Are you there?')
    await alice.page.getByRole('textbox', { name: 'Message' }).press('Enter')
    for (const device of [bob.page, bobsPhone.page]) {
      await device.getByRole('button', { name: `Open conversation with ${aliceName}, 1 unread` }).waitFor()
      await waitForExpression(device, "document.title === '(1) Social API'")
    }
    t.match(await bob.page.locator('#conversations li').first().textContent(), new RegExp(`${aliceName}Are you there\\?1$`),
      'the newest conversation first, with its last message and its unread count')
    t.pass('the message shows as unread on both of bob’s devices, in the title too')

    await bob.page.getByRole('button', { name: `Open conversation with ${aliceName}` }).click()
    await messages(bob.page).getByText('Are you there?').waitFor()
    await waitForExpression(bobsPhone.page, "!document.querySelector('#conversations .badge') && document.title === 'Social API'")
    t.pass('reading on one device clears the badge on the other')
    await messages(alice.page).locator('.message.mine', { hasText: 'Are you there?' }).locator('.seen').waitFor()
    t.equal(await messages(alice.page).locator('.seen').count(), 1, '“Seen” under the last message bob read, only there')

    const typing = bob.page.getByRole('textbox', { name: 'Message' })
    await repeatUntil(alice.page, `document.getElementById('typing').textContent === '${bobName} is typing…'`, () => typing.press('a'))
    t.pass('alice sees bob typing')

    await alice.page.evaluate('window.scrollTo(0, 0)')
    const onFirstScreen = await alice.page.evaluate(`(() => {
      const field = document.getElementById('message').getBoundingClientRect()
      return field.top >= 0 && field.bottom <= innerHeight
    })()`)
    t.ok(onFirstScreen, 'on a phone the message field is on the first screen, above people and profile')

    await bob.page.close()
    await bobsPhone.page.close()
    await alice.page.locator('#chat-title .dot:not(.online)').waitFor()
    t.match(await alice.page.locator('#chat-title .dot').getAttribute('aria-label'), /^offline, last seen /, 'bob is offline once both his pages are closed')
    t.same([...alice.problems, ...bob.problems, ...bobsPhone.problems], [], 'no script error or CSP refusal')
  })

  t.test('reconnecting: a lost ack settled by /messages/sync, the missed message caught up, the unsent one resent', async (t) => {
    const bobRouted = await person({ width: 1280, height: 900 })
    // Bob's chat socket passes through the test, which loses acks, cuts it, and stands in for an unreachable server.
    const link: { mode: 'live' | 'cut', current?: WebSocketRoute, lossy?: WebSocketRoute } = { mode: 'live' }
    await bobRouted.page.routeWebSocket(/\/chat$/, (route) => {
      link.current = route
      if (link.mode === 'cut') return route.onMessage(() => {})
      route.connectToServer().onMessage((frame) => {
        if (route !== link.lossy || JSON.parse(String(frame)).type !== 'ack') route.send(frame)
      })
    })
    await logIn(bobRouted.page, bobName, 'bob password')
    await bobRouted.page.getByRole('button', { name: `Open conversation with ${aliceName}` }).click()
    // Open only once the route has connected it to the server, so link.current is this socket's.
    await bobRouted.page.locator('#chat[data-connection="open"]').waitFor()

    link.lossy = link.current
    await send(bobRouted.page, 'Stored, but its ack is lost')
    await messages(alice.page).getByText('Stored, but its ack is lost').waitFor()
    t.equal(await pendingIn(bobRouted.page), 1, 'without its ack the message stays pending')
    link.mode = 'cut'
    const cut = link.current
    await cut?.close({ code: 4000, reason: 'cut by the test' })
    await waitForExpression(bobRouted.page, "document.querySelectorAll('#messages .pending').length === 0")
    t.not(link.current, cut, 'the page reconnected')
    t.pass('the catch-up after the reconnect settles the message whose ack was lost, by its clientMessageId')

    await send(alice.page, 'Written while bob is cut off')
    await messages(alice.page).locator('.message.mine:not(.pending)', { hasText: 'Written while bob is cut off' }).waitFor()
    await send(bobRouted.page, 'Written while the server is unreachable')
    t.equal(await pendingIn(bobRouted.page), 1)
    link.mode = 'live'
    await link.current?.close({ code: 4000, reason: 'cut by the test' })
    await messages(bobRouted.page).getByText('Written while bob is cut off').waitFor()
    await messages(alice.page).getByText('Written while the server is unreachable').waitFor()
    await waitForExpression(bobRouted.page, "document.querySelectorAll('#messages .pending').length === 0")
    t.pass('back online, bob catches up on what he missed and his unsent message goes out')
    for (const page of [alice.page, bobRouted.page]) {
      for (const text of ['Stored, but its ack is lost', 'Written while bob is cut off', 'Written while the server is unreachable']) {
        t.equal(await messages(page).getByText(text).count(), 1, `“${text}” once`)
      }
    }
    t.same(bobRouted.problems, [], 'no script error or CSP refusal')
    await bobRouted.page.close()
  })

  t.test('accounts: sessions, block, logout closing the socket, password change, erasure', async (t) => {
    const bobAgain = await person({ width: 1280, height: 900 })
    const socketClosed = new Promise<void>((resolve) => {
      bobAgain.page.on('websocket', (socket) => socket.on('close', () => resolve()))
    })
    await logIn(bobAgain.page, bobName, 'bob password')
    const sessions = bobAgain.page.getByRole('list', { name: 'Where you are signed in' }).getByRole('listitem')
    await sessions.filter({ hasText: 'This device' }).waitFor()
    t.equal(await sessions.count(), 4, 'bob’s registration, his phone, the page of the reconnect test and this login')
    await bobAgain.page.getByRole('button', { name: 'End all other sessions' }).click()
    await waitForExpression(bobAgain.page, "document.querySelectorAll('#sessions li').length === 1")
    t.pass('bob ends his other sessions')

    await bobAgain.page.getByRole('button', { name: `Open conversation with ${aliceName}` }).click()
    await alice.page.getByRole('button', { name: `Block ${bobName}`, exact: true }).click()
    await alice.page.getByRole('button', { name: `Unblock ${bobName}`, exact: true }).waitFor()
    t.match(await alice.page.locator('#results li', { hasText: bobName }).textContent(), /You block them/)
    await bobAgain.page.getByRole('textbox', { name: 'Message' }).fill('Still there?')
    await bobAgain.page.getByRole('textbox', { name: 'Message' }).press('Enter')
    await messages(bobAgain.page).locator('.message.failed', { hasText: 'Still there?' }).waitFor()
    t.equal(await bobAgain.page.getByRole('alert').textContent(), `NOT_MUTUAL_FOLLOWERS: you and ${aliceName} do not follow each other`,
      'the chat is refused, naming alice rather than her id')
    await alice.page.getByRole('button', { name: `Unblock ${bobName}`, exact: true }).click()
    await alice.page.getByRole('button', { name: `Block ${bobName}`, exact: true }).waitFor()
    t.match(await alice.page.locator('#results li', { hasText: bobName }).textContent(), /Not connected/, 'the follows a block removed stay removed')

    await bobAgain.page.getByRole('button', { name: 'Log out' }).click()
    await socketClosed
    await bobAgain.page.getByRole('heading', { name: 'Log in or register' }).waitFor()
    await bobAgain.page.getByRole('status').getByText('Logged out.').waitFor()
    t.pass('logging out closes the chat socket and shows the sign-in form')

    await alice.page.getByLabel('Current password').fill('alice password')
    await alice.page.getByLabel('New password').fill('alice changed password')
    await alice.page.getByRole('button', { name: 'Change password' }).click()
    await alice.page.getByRole('status').getByText('Your password is changed').waitFor()
    await alice.page.getByLabel('Your password, to confirm').fill('alice password')
    await alice.page.getByRole('button', { name: 'Delete my account' }).click()
    t.match(await alice.page.getByRole('alert').textContent(), /^INVALID_CREDENTIALS \(HTTP 401\)/, 'the old password no longer confirms anything')
    await alice.page.getByLabel('Your password, to confirm').fill('alice changed password')
    await alice.page.getByRole('button', { name: 'Delete my account' }).click()
    await alice.page.getByRole('heading', { name: 'Log in or register' }).waitFor()
    await alice.page.getByRole('status').getByText('Your account is deleted.').waitFor()
    t.ok(await alice.page.getByRole('alert').isHidden(), 'her own erasure closing her socket is not reported as an error')
    const login = await app.inject({ method: 'POST', url: '/auth/login', payload: { username: aliceName, password: 'alice changed password' } })
    t.equal(login.statusCode, 401, 'alice is gone')
    t.same([...alice.problems, ...bobAgain.problems], [], 'no script error or CSP refusal')
  })
}
