import type { FastifyRequest } from 'fastify'
import type { LoggerOptions } from 'pino'

/** Tokens sent as ?token= (WebSocket clients) must not reach the logs with the URL. */
export const redactUrl = (url: string) => url.replace(/([?&]token=)[^&#]*/gi, '$1[REDACTED]')

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
