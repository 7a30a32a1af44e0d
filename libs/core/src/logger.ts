import pino, { type DestinationStream, type Logger } from 'pino';

import { INTERNAL_TOKEN_HEADER } from './internal-auth';
import { currentContext } from './request-context';

export type { Logger } from 'pino';

/** Headers that carry credentials: the partner's API key (X-API-Key or a bearer token) and the
 * gateway-signed internal token. */
const SECRET_HEADERS = ['x-api-key', 'authorization', INTERNAL_TOKEN_HEADER];

/** pino JSON lines with the service name on every line and the request id / event id of the
 * current request or event (from AsyncLocalStorage). Secrets are redacted by path. `destination`
 * defaults to stdout (tests pass a stream to read the lines). */
export function createLogger(service: string, level = 'info', destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin() {
      const context = currentContext();
      if (!context) return {};
      return context.eventId
        ? { requestId: context.requestId, eventId: context.eventId }
        : { requestId: context.requestId };
    },
    redact: {
      paths: [
        ...SECRET_HEADERS.flatMap((header) => [`req.headers["${header}"]`, `headers["${header}"]`]),
        '*.secret',
        '*.apiKey',
        '*.password',
      ],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
