// The page to try the API: plain DOM, the same HTTP routes and WebSocket any client uses.
const $ = (id) => document.getElementById(id)

// The server passes on at most one typing frame per sender and recipient every 2 s; clients show it for 5 s.
const TYPING_EVERY_MS = 2000
const TYPING_SHOWN_MS = 5000
const RECONNECT_FIRST_MS = 500
const RECONNECT_MOST_MS = 30_000
const TITLE = document.title

const state = {
  token: sessionStorage.getItem('token'),
  me: null,
  partner: null,
  socket: null,
  names: new Map(),
  /** clientMessageId -> { frame, node }: sent (or to send) and not acknowledged yet; resent after a reconnect. */
  pending: new Map(),
  conversations: [],
  /** The newest message id this page has seen: /messages/sync catches up from it after a reconnect. */
  lastMessageId: 0,
  relationships: new Map(),
  /** userId -> { online, lastSeenAt } for mutual followers; absent for anyone else. */
  presence: new Map(),
  presenceFrames: 0,
  reconnectAttempt: 0,
  reconnectTimer: null,
  typingSentAt: 0,
  typingTimer: null,
  readSent: new Map(),
  /** True while a logout or an erasure is under way. */
  ending: false,
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

/** The API names people by id ("you and user 4 do not follow each other"); the page knows their names. */
const withNames = (text) => String(text).replace(/\buser (\d+)\b/g, (words, id) => state.names.get(Number(id)) ?? words)

function showError(error) {
  const box = $('error')
  if (!(error instanceof ApiError)) box.textContent = `Error: ${withNames(error.message ?? error)}`
  else {
    const message = withNames(error.message)
    box.textContent = error.status ? `${error.code} (HTTP ${error.status}): ${message}` : `${error.code}: ${message}`
  }
  box.hidden = false
  if (error instanceof ApiError && ['TOKEN_EXPIRED', 'TOKEN_INVALID', 'TOKEN_REVOKED'].includes(error.code)) signOut()
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

const labelled = (node, label) => {
  node.setAttribute('aria-label', label)
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
  await refreshInbox()
  state.lastMessageId = Math.max(0, ...state.conversations.map((conversation) => conversation.lastMessage.id))
  connect()
  await Promise.all([search(''), loadSessions()])
  $('profile-title').focus()
}

function signOut() {
  clearTimeout(state.reconnectTimer)
  Object.assign(state, { token: null, me: null, partner: null, conversations: [], lastMessageId: 0, reconnectAttempt: 0 })
  for (const map of [state.pending, state.presence, state.relationships, state.readSent]) map.clear()
  sessionStorage.removeItem('token')
  const socket = state.socket
  state.socket = null
  socket?.close()
  $('chat').dataset.connection = 'closed'
  document.title = TITLE
  $('auth').hidden = false
  $('signed-in').hidden = true
  $('session').hidden = true
  closeChat()
  $('results').replaceChildren()
  $('conversations').replaceChildren()
  $('sessions').replaceChildren()
  for (const form of [$('password-form'), $('delete-form')]) form.reset()
}

$('auth-form').addEventListener('submit', guarded(async (event) => {
  const action = event.submitter?.value === 'register' ? 'register' : 'login'
  const credentials = { username: $('username').value.trim(), password: $('password').value }
  const answer = await api('POST', `/auth/${action}`, { json: credentials })
  $('password').value = ''
  await signIn(answer.token)
  notify(action === 'register' ? `Welcome, ${answer.user.username}: your account is ready.` : `Logged in as ${answer.user.username}.`)
}))

/** Back to the sign-in form, the socket closed, with a word of what happened. */
function signedOut(text) {
  signOut()
  notify(text)
  $('username').focus()
}

/** Runs a request that ends this session (logout, erasure): the 1008 that closes its socket then is expected, not news. */
async function ending(request) {
  state.ending = true
  try {
    await request()
  } finally {
    state.ending = false
    // Still signed in (the request failed): the chat comes back.
    if (state.token && !state.socket) connect()
  }
}

$('logout').addEventListener('click', guarded(() => ending(async () => {
  try {
    await api('POST', '/auth/logout')
  } finally {
    // Also when the session had already ended elsewhere: this page forgets its token either way.
    signedOut('Logged out.')
  }
})))

// Sessions, password and erasure

async function loadSessions() {
  const page = await api('GET', '/auth/sessions?limit=100')
  $('sessions').replaceChildren(...page.items.map(sessionItem))
  $('end-other-sessions').disabled = page.items.every((session) => session.current)
}

const when = (iso) => new Date(iso).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' })

function sessionItem(session) {
  const agent = session.userAgent ?? 'an unknown client'
  const item = element('li', {}, [
    element('div', { className: 'who' }, [
      element('span', { className: 'agent', textContent: session.current ? `This device (${agent})` : agent }),
      element('small', { textContent: `signed in ${when(session.createdAt)} · last used ${when(session.lastUsedAt)}` }),
    ]),
  ])
  if (!session.current) {
    const end = actionButton('End', `End the session signed in ${when(session.createdAt)}`, 'secondary')
    end.addEventListener('click', guarded(async () => {
      await api('DELETE', `/auth/sessions/${session.id}`)
      await loadSessions()
      notify('That session is ended: its device has to log in again.')
    }))
    item.append(end)
  }
  return item
}

$('end-other-sessions').addEventListener('click', guarded(async () => {
  await api('DELETE', '/auth/sessions')
  await loadSessions()
  notify('Every other session is ended.')
}))

$('password-form').addEventListener('submit', guarded(async () => {
  const json = { currentPassword: $('current-password').value, newPassword: $('new-password').value }
  await api('PUT', '/users/me/password', { json })
  $('password-form').reset()
  await loadSessions()
  notify('Your password is changed, and your other sessions are ended.')
}))

$('delete-form').addEventListener('submit', guarded(() => ending(async () => {
  await api('POST', '/users/me/delete', { json: { password: $('delete-password').value } })
  signedOut('Your account is deleted.')
})))

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

function avatarOf(user) {
  return user.profilePictureUrl
    ? element('img', { className: 'avatar small', src: user.profilePictureUrl, alt: '', width: 40, height: 40 })
    : element('div', { className: 'avatar small empty' })
}

// Presence: an online dot for mutual followers

/** A dot that presence frames keep current; empty for someone whose presence the caller may not see. */
function presenceDot(userId) {
  const dot = element('span', { className: 'dot' })
  dot.dataset.presence = String(userId)
  paintDot(dot)
  return dot
}

function paintDot(dot) {
  const presence = state.presence.get(Number(dot.dataset.presence))
  dot.hidden = !presence
  dot.classList.toggle('online', presence?.online === true)
  const label = presence?.online ? 'online' : presence?.lastSeenAt ? `offline, last seen ${new Date(presence.lastSeenAt).toLocaleString()}` : 'offline'
  dot.title = label
  labelled(dot, label)
  dot.setAttribute('role', 'img')
}

function setPresence(userId, presence) {
  if (presence) state.presence.set(userId, presence)
  else state.presence.delete(userId)
  for (const dot of document.querySelectorAll(`[data-presence="${userId}"]`)) paintDot(dot)
}

function forgetRelationship(userId) {
  state.relationships.delete(userId)
  setPresence(userId, null)
  void watchPresence(userId).catch(() => {})
}

async function relationshipWith(userId) {
  const known = state.relationships.get(userId)
  if (known) return known
  const relationship = await api('GET', `/users/${userId}/relationship`)
  state.relationships.set(userId, relationship)
  return relationship
}

/** Asks once per connection: frames tell of every change after the socket opened. */
async function watchPresence(userId) {
  if (state.presence.has(userId)) return
  const relationship = await relationshipWith(userId)
  if (!relationship.mutual) return setPresence(userId, null)
  const framesBefore = state.presenceFrames
  const presence = await api('GET', `/users/${userId}/presence`)
  // A frame that came while the answer was on its way is newer than the answer.
  if (state.presenceFrames === framesBefore || !state.presence.has(userId)) setPresence(userId, presence)
}

function watchPresenceOfAll() {
  const ids = new Set(state.conversations.map((conversation) => conversation.user.id))
  for (const item of document.querySelectorAll('#results [data-user-id]')) ids.add(Number(item.dataset.userId))
  for (const id of ids) void watchPresence(id).catch(() => {})
}

// The inbox

const inboxRefresh = { running: null, again: false }

/** Fetches the inbox and the unread total; calls while one runs are folded into one more run after it. */
function refreshInbox() {
  if (inboxRefresh.running) {
    inboxRefresh.again = true
    return inboxRefresh.running
  }
  inboxRefresh.running = (async () => {
    try {
      do {
        inboxRefresh.again = false
        await loadInbox()
      } while (inboxRefresh.again && state.me)
    } finally {
      inboxRefresh.running = null
    }
  })()
  return inboxRefresh.running
}

async function loadInbox() {
  const [page, unread] = await Promise.all([api('GET', '/conversations?limit=50'), api('GET', '/conversations/unread')])
  if (!state.me) return
  // Markers only move forward: an answer that left the server before a read frame came must not move one back.
  for (const conversation of page.items) {
    const known = conversationWith(conversation.user.id)
    if (!known) continue
    conversation.readUpTo = maxOf(conversation.readUpTo, known.readUpTo)
    conversation.peerReadUpTo = maxOf(conversation.peerReadUpTo, known.peerReadUpTo)
  }
  state.conversations = page.items
  for (const conversation of page.items) remember(conversation.user)
  document.title = unread.messages > 0 ? `(${unread.messages}) ${TITLE}` : TITLE
  renderInbox()
  if (state.partner) renderSeen()
}

const maxOf = (a, b) => (a === null || b === null ? a ?? b : Math.max(a, b))

const conversationWith = (userId) => state.conversations.find((conversation) => conversation.user.id === userId)

function renderInbox() {
  const list = $('conversations')
  if (state.conversations.length === 0) {
    list.replaceChildren(element('li', { className: 'empty', textContent: 'No conversations yet: choose “Chat” beside someone who follows you back.' }))
    return
  }
  list.replaceChildren(...state.conversations.map(conversationItem))
}

function conversationItem(conversation) {
  const { user, lastMessage, unreadCount } = conversation
  const preview = `${lastMessage.senderId === state.me.id ? 'You: ' : ''}${lastMessage.messageText}`
  const open = element('button', { type: 'button', className: 'conversation' }, [
    avatarOf(user),
    element('span', { className: 'who' }, [
      element('span', { className: 'name' }, [presenceDot(user.id), user.username]),
      element('small', { className: 'preview', textContent: preview }),
    ]),
    unreadCount > 0 ? element('span', { className: 'badge', textContent: String(unreadCount) }) : '',
  ])
  labelled(open, `Open conversation with ${user.username}${unreadCount > 0 ? `, ${unreadCount} unread` : ''}`)
  if (state.partner?.id === user.id) open.setAttribute('aria-current', 'true')
  open.addEventListener('click', guarded(() => openChat(user)))
  const item = element('li', {}, [open])
  item.dataset.userId = String(user.id)
  return item
}

// People, follows and blocks

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
  relationships.forEach((relationship) => state.relationships.set(relationship.userId, relationship))
  $('results').replaceChildren(...others.map((user, i) => personItem(user, relationships[i])))
  if (others.length === 0) $('results').append(element('li', { textContent: prefix ? `Nobody's name starts with “${prefix}”.` : 'Nobody else is here yet.' }))
  watchPresenceOfAll()
}

function describe(relationship) {
  if (relationship.blocking) return 'You block them'
  if (relationship.blockedBy) return 'Blocks you'
  if (relationship.mutual) return 'You follow each other'
  if (relationship.following) return 'You follow them'
  if (relationship.followedBy) return 'Follows you'
  return 'Not connected'
}

function actionButton(text, label, className = '') {
  return labelled(element('button', { type: 'button', className, textContent: text }), label)
}

function personItem(user, relationship) {
  const follow = actionButton(relationship.following ? 'Unfollow' : 'Follow',
    `${relationship.following ? 'Unfollow' : 'Follow'} ${user.username}`, relationship.following ? 'secondary' : '')
  follow.disabled = relationship.blocking || relationship.blockedBy
  const chat = actionButton('Chat', `Chat with ${user.username}`)
  chat.disabled = !relationship.mutual
  const block = actionButton(relationship.blocking ? 'Unblock' : 'Block',
    `${relationship.blocking ? 'Unblock' : 'Block'} ${user.username}`, 'secondary')
  const item = element('li', {}, [
    avatarOf(user),
    element('div', { className: 'who' }, [
      element('span', { className: 'name' }, [presenceDot(user.id), user.username]),
      element('small', { textContent: describe(relationship) }),
    ]),
    element('div', { className: 'actions' }, [follow, chat, block]),
  ])
  item.dataset.userId = String(user.id)
  follow.addEventListener('click', guarded(async () => {
    const updated = await api(relationship.following ? 'DELETE' : 'PUT', `/users/${user.id}/follow`)
    relationshipChanged(user, updated, item)
    notify(`${updated.following ? 'You follow' : 'You no longer follow'} ${user.username}.`)
    await loadProfile()
  }))
  chat.addEventListener('click', guarded(() => openChat(user)))
  block.addEventListener('click', guarded(async () => {
    const updated = await api(relationship.blocking ? 'DELETE' : 'PUT', `/users/${user.id}/block`)
    relationshipChanged(user, updated, item, `[aria-label^="${updated.blocking ? 'Unblock' : 'Block'} "]`)
    notify(updated.blocking ? `You block ${user.username}: no follows, messages or presence between you.` : `You no longer block ${user.username}.`)
    await loadProfile()
  }))
  return item
}

function relationshipChanged(user, relationship, item, focus = 'button') {
  state.relationships.set(user.id, relationship)
  state.presence.delete(user.id)
  const replacement = personItem(user, relationship)
  item.replaceWith(replacement)
  replacement.querySelector(focus).focus()
  void watchPresence(user.id).catch(() => {})
}

$('search-form').addEventListener('submit', guarded(() => search($('search').value.trim())))

// The chat socket: reconnect with backoff, catch up through /messages/sync

function connect() {
  clearTimeout(state.reconnectTimer)
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws'
  // Browsers cannot set headers on a WebSocket: the token travels as the subprotocol pair.
  const socket = new WebSocket(`${scheme}://${location.host}/chat`, ['bearer', state.token])
  state.socket = socket
  socket.addEventListener('open', () => {
    state.reconnectAttempt = 0
    $('chat').dataset.connection = 'open'
    showChatStatus()
    void afterConnect().catch(showError)
  })
  socket.addEventListener('message', (event) => receive(JSON.parse(event.data)))
  socket.addEventListener('close', (event) => {
    if (state.socket !== socket) return
    state.socket = null
    $('chat').dataset.connection = 'closed'
    if (event.code === 1008) {
      if (state.ending) return
      signOut()
      showError(new Error('your session ended: log in again'))
      return
    }
    scheduleReconnect()
  })
}

function scheduleReconnect() {
  const ceiling = Math.min(RECONNECT_MOST_MS, RECONNECT_FIRST_MS * 2 ** state.reconnectAttempt++)
  // Jitter keeps the clients of a restarted server from all coming back in the same instant.
  const delay = ceiling / 2 + Math.random() * ceiling / 2
  $('chat-status').textContent = `Chat disconnected; reconnecting in ${Math.ceil(delay / 1000)} s…`
  state.reconnectTimer = setTimeout(() => {
    if (state.token && !state.socket) connect()
  }, delay)
}

const connected = () => state.socket?.readyState === WebSocket.OPEN

/** Sends a frame if the socket is open; false if not (messages wait in state.pending). */
function transmit(frame) {
  if (!connected()) return false
  state.socket.send(JSON.stringify(frame))
  return true
}

/** Presence is announced when it changes, so it is asked again after every (re)connect. */
async function afterConnect() {
  state.presence.clear()
  await catchUp()
  for (const { frame } of state.pending.values()) transmit(frame)
  await refreshInbox()
  watchPresenceOfAll()
  markRead()
}

async function catchUp() {
  const after = String(state.lastMessageId)
  let cursor = null
  do {
    const query = new URLSearchParams({ after, limit: '100' })
    if (cursor) query.set('cursor', cursor)
    const page = await api('GET', `/messages/sync?${query}`)
    page.items.forEach(caughtUp)
    cursor = page.nextCursor
  } while (cursor && state.me)
}

function caughtUp(message) {
  noteMessageId(message.id)
  // A message stored before the socket dropped, whose ack never came: its ack is this.
  if (message.senderId === state.me.id && state.pending.has(message.clientMessageId)) return acknowledged(message)
  if (inConversation(message)) showMessage(message)
}

const noteMessageId = (id) => {
  state.lastMessageId = Math.max(state.lastMessageId, id)
}

// Chat

function showChatStatus() {
  const partner = state.partner
  if (!connected()) return
  $('chat-status').textContent = partner ? '' : 'Choose a conversation, or “Chat” beside someone who follows you back.'
}

async function openChat(user) {
  remember(user)
  state.partner = user
  state.typingSentAt = 0
  hideTyping()
  $('chat-title').replaceChildren(presenceDot(user.id), `Chat with ${user.username}`)
  $('close-chat').hidden = false
  $('messages').hidden = false
  $('message-form').hidden = false
  showChatStatus()
  renderInbox()
  void watchPresence(user.id).catch(() => {})
  await loadHistory()
  markRead()
  $('message').focus()
}

function closeChat() {
  state.partner = null
  hideTyping()
  $('chat-title').textContent = 'Chat'
  $('close-chat').hidden = true
  $('messages').hidden = true
  $('messages').replaceChildren()
  $('message-form').hidden = true
  showChatStatus()
  if (state.me) renderInbox()
}

$('close-chat').addEventListener('click', guarded(() => {
  closeChat()
  $('inbox-title').scrollIntoView()
}))

async function loadHistory() {
  const partner = state.partner
  const page = await api('GET', `/conversations/${partner.id}/messages?limit=50`)
  if (state.partner !== partner) return
  $('messages').replaceChildren(...page.items.reverse().map(messageItem))
  // Messages still waiting for their ack stay in view below the stored ones.
  for (const { frame, node } of state.pending.values()) if (frame.recipientId === partner.id) $('messages').append(node)
  renderSeen()
  scrollToEnd()
}

function messageItem(message) {
  const mine = message.senderId === state.me.id
  const time = new Date(message.createdAt)
  const node = element('p', { className: `message ${mine ? 'mine' : 'theirs'}` }, [
    element('span', { className: 'sender', textContent: mine ? 'You' : nameOf(message.senderId) }),
    element('span', { className: 'text', textContent: message.messageText }),
    element('time', { dateTime: message.createdAt, textContent: time.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) }),
  ])
  if (message.id) node.dataset.id = String(message.id)
  return node
}

/** Appends a stored message to the open conversation unless it is there already (a catch-up can repeat a frame). */
function showMessage(message) {
  if ($('messages').querySelector(`[data-id="${message.id}"]`)) return
  $('messages').append(messageItem(message))
  renderSeen()
  scrollToEnd()
}

function scrollToEnd() {
  const log = $('messages')
  log.scrollTop = log.scrollHeight
}

const inConversation = (message) => state.partner !== null &&
  [message.senderId, message.recipientId].includes(state.partner.id)

/** "Seen" under the newest of my messages that the other person has read. */
function renderSeen() {
  for (const old of $('messages').querySelectorAll('.seen')) old.remove()
  const upTo = state.partner && conversationWith(state.partner.id)?.peerReadUpTo
  if (!upTo) return
  const read = [...$('messages').querySelectorAll('.message.mine[data-id]')].filter((node) => Number(node.dataset.id) <= upTo)
  read.at(-1)?.append(element('small', { className: 'seen', textContent: 'Seen' }))
}

/** Marks the open conversation read up to its newest message, once per message, while the page is in view. */
function markRead() {
  const partner = state.partner
  if (!partner || document.visibilityState !== 'visible') return
  const ids = [...$('messages').querySelectorAll('[data-id]')].map((node) => Number(node.dataset.id))
  const upTo = Math.max(0, ...ids)
  const conversation = conversationWith(partner.id)
  const readUpTo = Math.max(conversation?.readUpTo ?? 0, state.readSent.get(partner.id) ?? 0)
  const newestTheirs = Math.max(0, ...[...$('messages').querySelectorAll('.theirs[data-id]')].map((node) => Number(node.dataset.id)))
  if (newestTheirs <= readUpTo || upTo === 0) return
  state.readSent.set(partner.id, upTo)
  if (!transmit({ type: 'read', userId: partner.id, upTo })) {
    void api('PUT', `/conversations/${partner.id}/read`, { json: { upTo } }).then(refreshInbox).catch(showError)
  }
}

document.addEventListener('visibilitychange', markRead)

function acknowledged(message) {
  const pending = state.pending.get(message.clientMessageId)
  state.pending.delete(message.clientMessageId)
  noteMessageId(message.id)
  if (!pending) return
  if (pending.node.isConnected) {
    pending.node.replaceWith(messageItem(message))
    renderSeen()
  }
}

const frameHandlers = {
  ack(frame) {
    acknowledged(frame)
    void refreshInbox().catch(showError)
  },
  message(frame) {
    noteMessageId(frame.id)
    if (inConversation(frame)) {
      showMessage(frame)
      if (frame.senderId === state.partner.id) hideTyping()
      markRead()
    }
    void refreshInbox().catch(showError)
  },
  read(frame) {
    const peerId = frame.readerId === state.me.id ? frame.peerId : frame.readerId
    const conversation = conversationWith(peerId)
    if (conversation && frame.readerId === peerId) conversation.peerReadUpTo = maxOf(conversation.peerReadUpTo, frame.upTo)
    if (conversation && frame.readerId !== peerId) conversation.readUpTo = maxOf(conversation.readUpTo, frame.upTo)
    if (state.partner?.id === peerId) renderSeen()
    // My own marker moved (here or on another device): the badges and the title change.
    if (frame.readerId === state.me.id) void refreshInbox().catch(showError)
  },
  typing(frame) {
    if (state.partner?.id === frame.userId) showTyping(frame.userId)
  },
  presence(frame) {
    state.presenceFrames++
    setPresence(frame.userId, { online: frame.online, lastSeenAt: frame.lastSeenAt })
  },
  error(frame) {
    const pending = state.pending.get(frame.clientMessageId)
    state.pending.delete(frame.clientMessageId)
    pending?.node.classList.add('failed')
    // They unfollowed or blocked: what the page showed of them (the Chat button, their presence) is out of date.
    if (frame.code === 'NOT_MUTUAL_FOLLOWERS' && pending) forgetRelationship(pending.frame.recipientId)
    showError(new ApiError(null, frame))
  },
}

function receive(frame) {
  frameHandlers[frame.type]?.(frame)
}

// Typing

function showTyping(userId) {
  $('typing').textContent = `${nameOf(userId)} is typing…`
  clearTimeout(state.typingTimer)
  state.typingTimer = setTimeout(hideTyping, TYPING_SHOWN_MS)
}

function hideTyping() {
  clearTimeout(state.typingTimer)
  $('typing').textContent = ''
}

$('message').addEventListener('input', () => {
  if (!state.partner || $('message').value === '') return
  const now = Date.now()
  if (now - state.typingSentAt < TYPING_EVERY_MS) return
  if (transmit({ type: 'typing', recipientId: state.partner.id })) state.typingSentAt = now
})

function newClientMessageId() {
  // crypto.randomUUID needs a secure context; a page on a LAN address over HTTP is not one.
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, '0')).join('')
}

$('message-form').addEventListener('submit', guarded(async () => {
  const frame = { type: 'message', recipientId: state.partner.id, messageText: $('message').value, clientMessageId: newClientMessageId() }
  const node = messageItem({ senderId: state.me.id, messageText: frame.messageText, createdAt: new Date().toISOString() })
  node.classList.add('pending')
  state.pending.set(frame.clientMessageId, { frame, node })
  $('messages').append(node)
  scrollToEnd()
  $('message').value = ''
  $('message').focus()
  if (!transmit(frame)) notify('The chat is reconnecting: the message goes out as soon as it is back.')
}))

if (state.token) {
  signIn(state.token).catch((error) => {
    signOut()
    showError(error)
  })
}
