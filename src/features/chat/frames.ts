import type { RawData } from 'ws'
import { seedId } from '../../schemas/ids.js'
import { isWellFormed } from '../../validation.js'
import type { Draft } from './repository.js'
import { MAX_MESSAGE_LENGTH, inboundFrame, readRequestFrame, typingRequestFrame, type ChatErrorCode, type ErrorFrame } from './schemas.js'

export const refusal = (code: ChatErrorCode, message: string, clientMessageId?: string): ErrorFrame =>
  clientMessageId === undefined ? { type: 'error', code, message } : { type: 'error', code, message, clientMessageId }

/** Echoed on refusals only when it is one a client could have meant. */
export function clientMessageIdOf(frame: unknown): string | undefined {
  const id = (frame as { clientMessageId?: unknown } | null)?.clientMessageId
  return typeof id === 'string' && id.length > 0 && id.length <= 128 && isWellFormed(id) ? id : undefined
}

const toText = (data: RawData) => {
  if (Buffer.isBuffer(data)) return data.toString('utf8')
  return Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data).toString('utf8')
}

/** The parsed JSON of a text frame, or the refusal of a frame that is not JSON. */
export function parseFrame(data: RawData, isBinary: boolean): { frame: unknown } | ErrorFrame {
  if (isBinary) return refusal('INVALID_MESSAGE', 'frames must be JSON text, not binary')
  try {
    return { frame: JSON.parse(toText(data)) }
  } catch {
    return refusal('INVALID_MESSAGE', 'the frame is not valid JSON')
  }
}

const codePoints = (text: string) => {
  let count = 0
  for (const _ of text) count++
  return count
}

/** The message a parsed frame asks to send for `userId`, or why it is refused. */
export function draftOf(frame: unknown, userId: number): Draft | ErrorFrame {
  const clientMessageId = clientMessageIdOf(frame)
  if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) {
    return refusal('INVALID_MESSAGE', 'a frame must be a JSON object')
  }
  // The old service's clients may send ids as decimal strings; the bounds then apply to the number.
  const ids = frame as { recipientId?: unknown, senderId?: unknown }
  const given = { ...frame, recipientId: seedId(ids.recipientId), ...('senderId' in frame && { senderId: seedId(ids.senderId) }) }
  if (!inboundFrame.Check(given)) {
    const error = inboundFrame.Errors(given).First()
    const field = error?.path.slice(1) || 'frame'
    return refusal('INVALID_MESSAGE', `${field}: ${error?.message ?? 'invalid'}`, clientMessageId)
  }
  const { messageText } = given
  const recipientId = Number(given.recipientId)
  const senderId = given.senderId === undefined ? undefined : Number(given.senderId)
  // Text PostgreSQL cannot store is the client's error, refused here rather than failing the batch.
  if (!isWellFormed(messageText)) return refusal('INVALID_MESSAGE', 'messageText holds an unpaired surrogate: it is not well-formed Unicode', clientMessageId)
  if (given.clientMessageId !== undefined && !isWellFormed(given.clientMessageId)) {
    return refusal('INVALID_MESSAGE', 'clientMessageId holds an unpaired surrogate: it is not well-formed Unicode')
  }
  // UTF-16 length is at least the code point count: only long texts need counting.
  if (messageText.length > MAX_MESSAGE_LENGTH && codePoints(messageText) > MAX_MESSAGE_LENGTH) {
    return refusal('MESSAGE_TOO_LONG', `messageText is over ${MAX_MESSAGE_LENGTH} characters`, clientMessageId)
  }
  // Nor can it hold NUL.
  if (messageText.includes('\0') || clientMessageId?.includes('\0')) {
    return refusal('INVALID_MESSAGE', 'messageText and clientMessageId cannot contain NUL characters', clientMessageId)
  }
  if (senderId !== undefined && senderId !== userId) {
    return refusal('SENDER_MISMATCH', `senderId ${senderId} is not the authenticated user`, clientMessageId)
  }
  return { senderId: userId, recipientId, messageText, clientMessageId: clientMessageId ?? null }
}

/** The frame's `type` when it is a string; a frame without one is a message, as the old service's were. */
export function typeOf(frame: unknown): string | undefined {
  const type = (frame as { type?: unknown } | null)?.type
  return typeof type === 'string' ? type : undefined
}

function checked<T>(compiled: { Check(value: unknown): value is T, Errors(value: unknown): { First(): { path: string, message: string } | undefined } }, frame: unknown): T | ErrorFrame {
  if (compiled.Check(frame)) return frame
  const error = compiled.Errors(frame).First()
  return refusal('INVALID_MESSAGE', `${error?.path.slice(1) || 'frame'}: ${error?.message ?? 'invalid'}`)
}

export const readRequestOf = (frame: unknown) => checked(readRequestFrame, frame)
export const typingRequestOf = (frame: unknown) => checked(typingRequestFrame, frame)

export const isRefusal = (value: object): value is ErrorFrame => (value as { type?: unknown }).type === 'error'
