import { randomUUID } from 'node:crypto';

import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';

import { AppError, errorBody, errors } from '../errors';
import type { Metrics } from '../metrics';
import { currentContext, runWithContext } from '../request-context';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
export const ERROR_CODE_HEADER = 'x-pitlane-error-code';

/** Accepts a sane client `X-Request-Id` or makes one, echoes it, and runs the request in its context. */
export function requestContext(): RequestHandler {
  return (req, res, next) => {
    const incoming = req.header('x-request-id');
    const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.setHeader('X-Request-Id', requestId);
    res.locals.requestId = requestId;
    runWithContext({ requestId }, () => next());
  };
}

export function requestIdOf(res: Response): string {
  return (res.locals.requestId as string | undefined) ?? currentContext()?.requestId ?? 'unknown';
}

/** Probes answer every few seconds: their lines are kept for debugging, out of the info stream. */
const PROBE_ROUTES = new Set(['/healthz', '/readyz', '/metrics']);

/** One log line and the metrics per request, labelled by route template (not the raw path). The
 * logged `path` is the full path the client called (req.path is relative to the router that
 * answered), without the query string, which may carry personal data. `quiet` requests log at
 * debug (an app that keeps its own record of them, like the gateway's audit trail). */
export function requestLogging(logger: Logger, metrics: Metrics, quiet?: (req: Request, res: Response) => boolean): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = routeTemplate(req, res);
      const labels = { method: req.method, route, status: String(res.statusCode) };
      metrics.httpRequests.inc(labels);
      metrics.httpDuration.observe(labels, seconds);
      const level = PROBE_ROUTES.has(route) || quiet?.(req, res) ? 'debug' : 'info';
      if (!logger.isLevelEnabled(level)) return;
      logger[level](
        { method: req.method, path: fullPath(req), route, status: res.statusCode, durationMs: Math.round(seconds * 1000) },
        'request completed',
      );
    });
    next();
  };
}

function fullPath(req: Request): string {
  return req.originalUrl.split('?')[0] ?? req.originalUrl;
}

/** `/api/v1/garages/:garageId/bookings/:bookingId`, not the raw path (keeps metric labels bounded).
 * A proxy sets `res.locals.routeLabel` since no express route matched there. */
export function routeTemplate(req: Request, res: Response): string {
  if (typeof res.locals.routeLabel === 'string') return res.locals.routeLabel;
  const route = req.route as { path?: unknown } | undefined;
  if (typeof route?.path !== 'string') return 'unmatched';
  let base = req.baseUrl;
  for (const [name, value] of Object.entries(req.params as Record<string, string>)) {
    base = base.split('/').map((segment) => (segment === value ? `:${name}` : segment)).join('/');
  }
  return `${base}${route.path}`;
}

/** Last route: anything nobody answered is a 404 ROUTE_NOT_FOUND in the envelope. */
export function routeNotFound(): RequestHandler {
  return (req, _res, next: NextFunction) => {
    next(errors.routeNotFound(req.method, req.path));
  };
}

/** The one error handler: AppError → its status and envelope; body-parser failures → INVALID_JSON,
 * 413 or 415; other client errors → 400; a database past its deadline → 503; anything else → 500 INTERNAL_ERROR without internals (logged with its stack). */
export function errorHandler(logger: Logger, bodyLimit: string, options: { errorCodeHeader?: boolean } = {}): ErrorRequestHandler {
  const withHeader = options.errorCodeHeader ?? true;
  return (error: unknown, _req, res, _next) => {
    const appError = toAppError(error, bodyLimit);
    if (appError.status >= 500) {
      logger.error({ err: error }, 'request failed');
    }
    res.locals.errorCode = appError.code;
    if (res.headersSent) {
      res.end();
      return;
    }
    // lets the gateway record the code in its audit line without parsing bodies; the gateway itself
    // (the public edge) sets none: a client never sees this internal header
    if (withHeader) res.setHeader(ERROR_CODE_HEADER, appError.code);
    res.status(appError.status).json(errorBody(appError, requestIdOf(res)));
  };
}

function toAppError(error: unknown, bodyLimit: string): AppError {
  if (error instanceof AppError) return error;
  const { type, status, expose } = (error ?? {}) as { type?: unknown; status?: unknown; expose?: unknown };
  if (type === 'entity.parse.failed') return errors.invalidJson();
  if (type === 'entity.too.large') return errors.payloadTooLarge(bodyLimit);
  if (type === 'encoding.unsupported' || type === 'charset.unsupported' || status === 415) {
    return errors.unsupportedMediaType('The request body encoding or charset is not supported (send identity, gzip, deflate or br; UTF-8).');
  }
  // a client error raised by express, the router or body-parser (malformed parameter encoding, a
  // gzip body that does not inflate, a body shorter than announced): the client's fault, a 400
  if (typeof status === 'number' && status >= 400 && status < 500 && expose !== false) {
    return errors.malformedRequest('The request could not be read.');
  }
  if (isDatabaseUnavailable(error)) return errors.unavailable('The database did not answer in time. Try again shortly.');
  return errors.internal();
}

/** The MongoDB driver's (and mongoose's) ways of saying "no server answered within the deadline". */
const DATABASE_UNAVAILABLE = new Set([
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoOperationTimeoutError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
  'MongoWaitQueueTimeoutError',
]);

export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (DATABASE_UNAVAILABLE.has(error.name)) return true;
  // MaxTimeMSExpired (50) from the server; mongoose buffering timing out while disconnected
  if ((error as { code?: unknown }).code === 50) return true;
  return error.name === 'MongooseError' && /buffering timed out/.test(error.message);
}
