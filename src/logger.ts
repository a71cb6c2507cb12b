import type { FastifyRequest } from 'fastify'
import type { DestinationStream, LoggerOptions } from 'pino'
import pretty from 'pino-pretty'

/** Tokens sent as ?token= (WebSocket clients) must not reach the logs with the URL. */
export const redactUrl = (url: string) => url.replace(/([?&]token=)[^&#]*/gi, '$1[REDACTED]')

// In a JSON line a URL's value ends at a quote, or at the backslash of an escape.
const tokenInLine = /([?&]token=)[^&#\s"\\]+/gi

/**
 * Every line goes out with any ?token= in it redacted, wherever it sits: the request serializer
 * covers req.url, but a plugin logging { path: rawRequest.url } or an error quoting a URL is
 * outside anything pino's redact paths can name.
 */
export function redactingStream(destination: DestinationStream): DestinationStream {
  return { write: (line: string) => destination.write(line.includes('token=') ? line.replace(tokenInLine, '$1[REDACTED]') : line) }
}

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers["sec-websocket-protocol"]',
        'password', '*.password', 'token', '*.token',
      ],
      censor: '[REDACTED]',
    },
    serializers: {
      req: (request: FastifyRequest) => ({
        method: request.method,
        url: redactUrl(request.url),
        remoteAddress: request.ip,
      }),
    },
  }
}

/**
 * Lines for a person at a terminal: time, level and message, the rest indented below. Written
 * in-process and synchronously (not a transport thread), so it stays behind redactingStream.
 */
export const prettyStream = (destination: number | NodeJS.WritableStream = 1): DestinationStream =>
  pretty({ destination, colorize: destination === 1, sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' })
