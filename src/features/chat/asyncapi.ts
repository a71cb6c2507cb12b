import type { TSchema } from '@sinclair/typebox'
import { TYPING_INTERVAL_MS } from './typing.js'
import {
  AckFrame, ChatErrorCode, ErrorFrame, InboundFrame, MessageFrame, PresenceFrame, ReadFrame, ReadRequestFrame, TypingFrame, TypingRequestFrame,
} from './schemas.js'

/** Plain JSON Schema: TypeBox's $id names (the document names its schemas itself) and symbols left out. */
const plain = (schema: TSchema): Record<string, unknown> => JSON.parse(JSON.stringify(schema, (key, value: unknown) => (key === '$id' ? undefined : value)))

const closeCodes = [
  [1001, 'the server is shutting down (messages it had received were stored and acknowledged first)', 'reconnect with backoff, resend unacknowledged messages'],
  [1008, 'the token expired, or its session was ended (logout, password change, account erased)', 'log in again, reconnect with the new token'],
  [1009, 'a frame over 64 KiB', 'send smaller frames'],
  [1011, 'the server could not store a message', 'reconnect, resend unacknowledged messages'],
  [1002, 'the client broke the WebSocket protocol (sent by the ws library)', 'fix the client'],
  [1007, 'a text frame that is not UTF-8 (sent by the ws library)', 'fix the client'],
  [1006, 'no close frame: the heartbeat or the slow-reader bound cut the socket, or the network failed', 'reconnect, sync, resend'],
] as const

const errorCodes: Record<string, string> = {
  INVALID_MESSAGE: 'not JSON, a binary frame, not a JSON object, a missing or mistyped field (named in the message), an empty messageText, a NUL or an unpaired surrogate, an unknown type',
  MESSAGE_TOO_LONG: 'messageText over 4,000 characters',
  SENDER_MISMATCH: 'senderId is not the authenticated user',
  USER_NOT_FOUND: 'no user has that id',
  NOT_MUTUAL_FOLLOWERS: 'the two users do not both follow each other now (messages and typing); also a message or typing to yourself',
  RATE_LIMITED: 'over CHAT_RATE_LIMIT (messages and read frames; typing has a budget of its own and is dropped silently over it)',
  INVALID_READ_MARKER: 'upTo is not a message of the conversation with userId',
  CONVERSATION_NOT_FOUND: 'the two users never exchanged a message',
}

interface Frame {
  name: string
  title: string
  summary: string
  schema: TSchema
  example: Record<string, unknown>
}

const clientFrames: Frame[] = [
  {
    name: 'sendMessage',
    title: 'message (client)',
    summary: "Send a message to a mutual follower. `type` is optional (the original service's frames had none) and ids may be decimal strings; unknown fields are ignored. Answered by an ack, or an error echoing clientMessageId.",
    schema: InboundFrame,
    example: { type: 'message', recipientId: 4, messageText: 'Hello', clientMessageId: 'c-123' },
  },
  {
    name: 'markRead',
    title: 'read (client)',
    summary: 'Mark the conversation with userId read up to and including message upTo, as PUT /conversations/{userId}/read does; a marker never moves back.',
    schema: ReadRequestFrame,
    example: { type: 'read', userId: 4, upTo: 1234 },
  },
  {
    name: 'startTyping',
    title: 'typing (client)',
    summary: `"I am typing", to a mutual follower; never stored. At most one per sender and recipient every ${TYPING_INTERVAL_MS / 1000} seconds is passed on, the rest are dropped silently.`,
    schema: TypingRequestFrame,
    example: { type: 'typing', recipientId: 4 },
  },
]

const serverFrames: Frame[] = [
  {
    name: 'ack',
    title: 'ack',
    summary: 'To the socket that sent a message, once it is stored (a resend with the same clientMessageId gets the identical ack).',
    schema: AckFrame,
    example: { type: 'ack', id: 17, senderId: 3, recipientId: 4, messageText: 'Hello', clientMessageId: 'c-123', createdAt: '2026-11-25T16:00:00.000Z' },
  },
  {
    name: 'message',
    title: 'message',
    summary: "To every socket of the recipient and the sender's other sockets, never before the ack.",
    schema: MessageFrame,
    example: { type: 'message', id: 17, senderId: 3, recipientId: 4, messageText: 'Hello', clientMessageId: 'c-123', createdAt: '2026-11-25T16:00:00.000Z' },
  },
  {
    name: 'error',
    title: 'error',
    summary: `A frame was refused; nothing was stored or delivered. Codes: ${Object.entries(errorCodes).map(([code, when]) => `${code} (${when})`).join('; ')}.`,
    schema: ErrorFrame,
    example: { type: 'error', code: 'NOT_MUTUAL_FOLLOWERS', message: 'you and user 4 do not follow each other', clientMessageId: 'c-123' },
  },
  {
    name: 'read',
    title: 'read',
    summary: "To every socket of both people when a read marker moves forward: the reader's other devices clear their badge, the other person sees a receipt.",
    schema: ReadFrame,
    example: { type: 'read', readerId: 3, peerId: 4, upTo: 1234 },
  },
  {
    name: 'typing',
    title: 'typing',
    summary: 'To every socket of the recipient; show the indicator for 5 seconds after the last one.',
    schema: TypingFrame,
    example: { type: 'typing', userId: 3 },
  },
  {
    name: 'presence',
    title: 'presence',
    summary: "To every socket of the user's mutual followers when the user's first socket opens anywhere, and when the last closes anywhere (after a grace of a few seconds).",
    schema: PresenceFrame,
    example: { type: 'presence', userId: 3, online: false, lastSeenAt: '2026-11-25T16:00:00.000Z' },
  },
]

const messageOf = (frame: Frame) => ({
  name: frame.name,
  title: frame.title,
  summary: frame.summary,
  contentType: 'application/json',
  payload: { $ref: `#/components/schemas/${frame.name}` },
  examples: [{ name: frame.name, payload: frame.example }],
})

/**
 * The chat WebSocket as an AsyncAPI 3 document, built from the TypeBox schemas the server
 * validates and sends frames with. The document describes the server: it receives the client's
 * frames and sends its own.
 */
export function chatAsyncApi() {
  const frames = [...clientFrames, ...serverFrames]
  const ref = (frame: Frame) => ({ $ref: `#/channels/chat/messages/${frame.name}` })
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Social API chat',
      version: '1.0.0',
      description: 'Real-time chat between mutual followers over one WebSocket. Every frame is a JSON text frame with a `type`; ' +
        'binary frames are refused with INVALID_MESSAGE. A missing or bad token is refused with HTTP 401 before the upgrade. ' +
        'The token may come as `Authorization: Bearer <JWT>`, as the subprotocol pair `Sec-WebSocket-Protocol: bearer, <JWT>` ' +
        '(the server selects `bearer`), or as `?token=<JWT>`.\n\nClose codes:\n' +
        closeCodes.map(([code, meaning, todo]) => `- ${code}: ${meaning}; ${todo}`).join('\n'),
      'x-close-codes': closeCodes.map(([code, meaning, todo]) => ({ code, meaning, clientShould: todo })),
      'x-error-codes': Object.entries(errorCodes).map(([code, when]) => ({ code, when })),
    },
    defaultContentType: 'application/json',
    servers: {
      local: {
        host: 'localhost:3000',
        protocol: 'ws',
        pathname: '/chat',
        description: '`npm start` on this machine; the original service\'s path `/` upgrades too',
        security: [
          { $ref: '#/components/securitySchemes/bearerHeader' },
          { $ref: '#/components/securitySchemes/bearerSubprotocol' },
          { $ref: '#/components/securitySchemes/tokenQuery' },
        ],
      },
    },
    channels: {
      chat: {
        address: '/chat',
        title: 'The chat socket',
        messages: Object.fromEntries(frames.map((frame) => [frame.name, { $ref: `#/components/messages/${frame.name}` }])),
        bindings: {
          ws: {
            method: 'GET',
            query: { type: 'object', properties: { token: { type: 'string', description: 'The JWT, for clients that cannot set headers' } } },
          },
        },
      },
    },
    operations: {
      ...Object.fromEntries(clientFrames.map((frame) => [`receive_${frame.name}`, {
        action: 'receive', channel: { $ref: '#/channels/chat' }, title: `The client sends ${frame.title}`, messages: [ref(frame)],
      }])),
      ...Object.fromEntries(serverFrames.map((frame) => [`send_${frame.name}`, {
        action: 'send', channel: { $ref: '#/channels/chat' }, title: `The server sends ${frame.title}`, messages: [ref(frame)],
      }])),
    },
    components: {
      schemas: {
        ...Object.fromEntries(frames.map((frame) => [frame.name, plain(frame.schema)])),
        errorCode: plain(ChatErrorCode),
      },
      messages: Object.fromEntries(frames.map((frame) => [frame.name, messageOf(frame)])),
      securitySchemes: {
        bearerHeader: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Authorization: Bearer <JWT> (servers, CLI tools, mobile apps)' },
        bearerSubprotocol: { type: 'httpApiKey', in: 'header', name: 'Sec-WebSocket-Protocol', description: 'bearer, <JWT> (browsers, which cannot set headers on a WebSocket); the server selects the bearer subprotocol' },
        tokenQuery: { type: 'httpApiKey', in: 'query', name: 'token', description: "?token=<JWT> (the original service's form); redacted from the logs" },
      },
    },
  }
}
