// The page to try the API: plain DOM, the same HTTP routes and WebSocket any client uses.
const $ = (id) => document.getElementById(id)

const state = {
  token: sessionStorage.getItem('token'),
  me: null,
  partner: null,
  socket: null,
  names: new Map(),
  pending: new Map(),
}

class ApiError extends Error {
  constructor(status, body) {
    super(body?.message ?? `HTTP ${status}`)
    // null for a refusal that came over the chat socket rather than as an HTTP answer.
    this.status = status
    this.code = body?.code ?? 'HTTP_ERROR'
  }
}

async function api(method, path, { json, form } = {}) {
  const headers = {}
  if (state.token) headers.authorization = `Bearer ${state.token}`
  let body = form
  if (json !== undefined) {
    headers['content-type'] = 'application/json'
    body = JSON.stringify(json)
  }
  const response = await fetch(path, { method, headers, body })
  const isJson = response.headers.get('content-type')?.includes('application/json')
  const data = isJson ? await response.json() : null
  if (!response.ok) throw new ApiError(response.status, data)
  return data
}

function showError(error) {
  const box = $('error')
  if (!(error instanceof ApiError)) box.textContent = `Error: ${error.message ?? error}`
  else box.textContent = error.status ? `${error.code} (HTTP ${error.status}): ${error.message}` : `${error.code}: ${error.message}`
  box.hidden = false
  if (error instanceof ApiError && ['TOKEN_EXPIRED', 'TOKEN_INVALID'].includes(error.code)) signOut()
}

function notify(text) {
  $('error').hidden = true
  $('notice').textContent = text
}

/** Runs an event handler, showing what the API refused instead of failing silently. */
const guarded = (handler) => async (event) => {
  event.preventDefault()
  $('error').hidden = true
  try {
    await handler(event)
  } catch (error) {
    showError(error)
  }
}

const nameOf = (id) => state.names.get(id) ?? `user ${id}`
const remember = (user) => state.names.set(user.id, user.username)

function element(tag, properties = {}, children = []) {
  const node = Object.assign(document.createElement(tag), properties)
  node.append(...children)
  return node
}

// Accounts

async function signIn(token) {
  state.token = token
  sessionStorage.setItem('token', token)
  await loadProfile()
  $('auth').hidden = true
  $('signed-in').hidden = false
  $('session').hidden = false
  $('session-name').textContent = state.me.username
  connect()
  await search('')
  $('profile-title').focus()
}

function signOut() {
  state.token = null
  state.me = null
  state.partner = null
  sessionStorage.removeItem('token')
  const socket = state.socket
  state.socket = null
  socket?.close()
  $('auth').hidden = false
  $('signed-in').hidden = true
  $('session').hidden = true
  $('messages').replaceChildren()
  $('results').replaceChildren()
}

$('auth-form').addEventListener('submit', guarded(async (event) => {
  const action = event.submitter?.value === 'register' ? 'register' : 'login'
  const credentials = { username: $('username').value.trim(), password: $('password').value }
  const answer = await api('POST', `/auth/${action}`, { json: credentials })
  $('password').value = ''
  await signIn(answer.token)
  notify(action === 'register' ? `Welcome, ${answer.user.username}: your account is ready.` : `Logged in as ${answer.user.username}.`)
}))

$('logout').addEventListener('click', guarded(async () => {
  signOut()
  notify('Logged out.')
  $('username').focus()
}))

// Profile and picture

async function loadProfile() {
  state.me = await api('GET', '/users/me')
  remember(state.me)
  renderProfile()
}

function renderProfile() {
  const me = state.me
  $('profile-name').textContent = me.username
  const followers = `${me.followersCount} follower${me.followersCount === 1 ? '' : 's'}`
  $('profile-counts').textContent = `${followers} · ${me.followingCount} following`
  const avatar = $('avatar')
  avatar.hidden = me.profilePictureUrl === null
  $('avatar-empty').hidden = me.profilePictureUrl !== null
  if (me.profilePictureUrl !== null) {
    avatar.src = me.profilePictureUrl
    avatar.alt = `Profile picture of ${me.username}`
  }
}

$('picture-form').addEventListener('submit', guarded(async () => {
  const file = $('picture').files[0]
  if (!file) throw new Error('choose an image first')
  const form = new FormData()
  form.append('profilePicture', file)
  state.me = await api('PUT', '/users/me/profile-picture', { form })
  renderProfile()
  $('picture').value = ''
  notify('Your profile picture is updated.')
}))

$('remove-picture').addEventListener('click', guarded(async () => {
  state.me = await api('DELETE', '/users/me/profile-picture')
  renderProfile()
  notify('Your profile picture is removed.')
}))

// People and follows

async function search(prefix) {
  $('results').setAttribute('aria-busy', 'true')
  try {
    await listPeople(prefix)
  } finally {
    $('results').setAttribute('aria-busy', 'false')
  }
}

async function listPeople(prefix) {
  const query = new URLSearchParams({ limit: '20' })
  if (prefix) query.set('search', prefix)
  // Counts change as others follow: a search is a natural moment to refresh them.
  const [page] = await Promise.all([api('GET', `/users?${query}`), loadProfile()])
  const others = page.items.filter((user) => user.id !== state.me.id)
  others.forEach(remember)
  const relationships = await Promise.all(others.map((user) => api('GET', `/users/${user.id}/relationship`)))
  $('results').replaceChildren(...others.map((user, i) => personItem(user, relationships[i])))
  if (others.length === 0) $('results').append(element('li', { textContent: prefix ? `Nobody's name starts with “${prefix}”.` : 'Nobody else is here yet.' }))
}

function describe(relationship) {
  if (relationship.mutual) return 'You follow each other'
  if (relationship.following) return 'You follow them'
  if (relationship.followedBy) return 'Follows you'
  return 'Not connected'
}

function personItem(user, relationship) {
  const picture = user.profilePictureUrl
    ? element('img', { className: 'avatar small', src: user.profilePictureUrl, alt: '', width: 40, height: 40 })
    : element('div', { className: 'avatar small empty' })
  const follow = element('button', {
    type: 'button',
    className: relationship.following ? 'secondary' : '',
    textContent: relationship.following ? 'Unfollow' : 'Follow',
  })
  follow.setAttribute('aria-label', `${relationship.following ? 'Unfollow' : 'Follow'} ${user.username}`)
  const chat = element('button', { type: 'button', textContent: 'Chat', disabled: !relationship.mutual })
  chat.setAttribute('aria-label', `Chat with ${user.username}`)
  const item = element('li', {}, [
    picture,
    element('div', { className: 'who' }, [
      element('span', { className: 'name', textContent: user.username }),
      element('small', { textContent: describe(relationship) }),
    ]),
    element('div', { className: 'actions' }, [follow, chat]),
  ])
  follow.addEventListener('click', guarded(async () => {
    const updated = await api(relationship.following ? 'DELETE' : 'PUT', `/users/${user.id}/follow`)
    const replacement = personItem(user, updated)
    item.replaceWith(replacement)
    replacement.querySelector('button').focus()
    notify(`${updated.following ? 'You follow' : 'You no longer follow'} ${user.username}.`)
    await loadProfile()
  }))
  chat.addEventListener('click', guarded(() => openChat(user)))
  return item
}

$('search-form').addEventListener('submit', guarded(() => search($('search').value.trim())))

// Chat

function connect() {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws'
  // Browsers cannot set headers on a WebSocket: the token travels as the subprotocol pair.
  const socket = new WebSocket(`${scheme}://${location.host}/chat`, ['bearer', state.token])
  state.socket = socket
  socket.addEventListener('open', () => {
    if (state.partner) void loadHistory().catch(showError)
  })
  socket.addEventListener('message', (event) => receive(JSON.parse(event.data)))
  socket.addEventListener('close', (event) => {
    if (state.socket !== socket) return
    state.socket = null
    if (event.code === 1008) {
      signOut()
      showError(new Error('your session expired: log in again'))
      return
    }
    $('chat-status').textContent = 'Chat disconnected; reconnecting…'
    setTimeout(() => state.token && !state.socket && connect(), 2000)
  })
}

async function openChat(user) {
  state.partner = user
  $('chat-status').textContent = `Chatting with ${user.username}`
  $('message-form').hidden = false
  await loadHistory()
  $('message').focus()
}

async function loadHistory() {
  const partner = state.partner
  const page = await api('GET', `/conversations/${partner.id}/messages?limit=50`)
  if (state.partner !== partner) return
  $('messages').replaceChildren(...page.items.reverse().map(messageItem))
  scrollToEnd()
}

function messageItem(message) {
  const mine = message.senderId === state.me.id
  const time = new Date(message.createdAt)
  return element('p', { className: `message ${mine ? 'mine' : 'theirs'}` }, [
    element('span', { className: 'sender', textContent: mine ? 'You' : nameOf(message.senderId) }),
    element('span', { className: 'text', textContent: message.messageText }),
    element('time', { dateTime: message.createdAt, textContent: time.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) }),
  ])
}

function scrollToEnd() {
  const log = $('messages')
  log.scrollTop = log.scrollHeight
}

const inConversation = (message) => state.partner !== null &&
  [message.senderId, message.recipientId].includes(state.partner.id)

function receive(frame) {
  if (frame.type === 'ack') {
    const pending = state.pending.get(frame.clientMessageId)
    state.pending.delete(frame.clientMessageId)
    pending?.replaceWith(messageItem(frame))
  } else if (frame.type === 'message') {
    if (inConversation(frame)) {
      $('messages').append(messageItem(frame))
      scrollToEnd()
    } else {
      notify(`New message from ${nameOf(frame.senderId)}: choose Chat beside them to read it.`)
    }
  } else if (frame.type === 'error') {
    const pending = state.pending.get(frame.clientMessageId)
    state.pending.delete(frame.clientMessageId)
    pending?.classList.add('failed')
    showError(new ApiError(null, frame))
  }
}

function newClientMessageId() {
  // crypto.randomUUID needs a secure context; a page on a LAN address over HTTP is not one.
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, '0')).join('')
}

$('message-form').addEventListener('submit', guarded(async () => {
  const text = $('message').value
  if (!state.socket || state.socket.readyState !== WebSocket.OPEN) throw new Error('the chat is not connected yet; try again in a moment')
  const clientMessageId = newClientMessageId()
  state.socket.send(JSON.stringify({ type: 'message', recipientId: state.partner.id, messageText: text, clientMessageId }))
  const pending = messageItem({ senderId: state.me.id, messageText: text, createdAt: new Date().toISOString() })
  pending.classList.add('pending')
  state.pending.set(clientMessageId, pending)
  $('messages').append(pending)
  scrollToEnd()
  $('message').value = ''
  $('message').focus()
}))

if (state.token) {
  signIn(state.token).catch((error) => {
    signOut()
    showError(error)
  })
}
