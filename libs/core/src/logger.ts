import pino, { type Logger } from 'pino';

import { currentContext } from './request-context';

export type { Logger } from 'pino';

/** pino JSON lines with the service name on every line and the request id / event id of the
 * current request or event (from AsyncLocalStorage). Secrets are redacted by path. */
export function createLogger(service: string, level = 'info'): Logger {
  return pino({
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
        'req.headers["x-api-key"]',
        'req.headers.authorization',
        'req.headers["x-pitlane-internal"]',
        'headers["x-api-key"]',
        'headers.authorization',
        '*.secret',
        '*.apiKey',
        '*.password',
      ],
      censor: '[redacted]',
    },
  });
}
