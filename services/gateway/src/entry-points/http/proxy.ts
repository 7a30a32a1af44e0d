import { Agent as HttpAgent, type ClientRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Socket } from 'node:net';

import {
  ERROR_CODE_HEADER,
  errorBody,
  errors,
  INTERNAL_TOKEN_HEADER,
  requestIdOf,
  signInternalToken,
  type AppError,
  type Logger,
} from '@pitlane/core';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { createProxyMiddleware } from 'http-proxy-middleware';

import type { Config } from '../../config';
import type { Garage } from '../../data-access/tenancy.model';
import { maybeCallerOf } from './authenticate';
import { assertSupportedBody, isRetryable } from './body-policy';

export type Upstream = 'bookings' | 'inventory' | 'billing' | 'webhooks';

/** The resource segment after `/garages/{gid}/` decides the service. */
export const resourceRoutes: Record<string, Upstream> = {
  customers: 'bookings',
  vehicles: 'bookings',
  bookings: 'bookings',
  technicians: 'bookings',
  services: 'bookings',
  bays: 'bookings',
  availability: 'bookings',
  schedule: 'bookings',
  settings: 'bookings',
  clock: 'bookings',
  inventory: 'inventory',
  'purchase-orders': 'inventory',
  estimates: 'billing',
  invoices: 'billing',
  payments: 'billing',
  'credit-notes': 'billing',
  webhooks: 'webhooks',
};

/** Keyless routes under `/api/v1/public/<resource>`. */
export const publicRoutes: Record<string, Upstream> = { estimates: 'billing' };

/** Headers a client must never be able to set on the internal hop (and the raw key never travels on). */
function isStrippedHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.startsWith('x-pitlane-') || lower === 'x-api-key' || lower === 'authorization' || lower === 'x-internal-token';
}

function upstreamUrls(config: Config): Record<Upstream, string> {
  return {
    bookings: config.BOOKINGS_URL,
    inventory: config.INVENTORY_URL,
    billing: config.BILLING_URL,
    webhooks: config.WEBHOOKS_URL,
  };
}

type Proxy = ReturnType<typeof createProxyMiddleware<Request, Response>>;

/** One keep-alive proxy per service: strips client internals, adds the request id and (for key
 * callers) the signed internal token; upstream down → 503, too slow → 504, in the envelope. */
function createProxies(config: Config, logger: Logger): Map<Upstream, Proxy> {
  const timedOut = new WeakSet<IncomingMessage>();
  const outgoing = new WeakMap<IncomingMessage, ClientRequest>();
  const retried = new WeakSet<IncomingMessage>();
  const proxies = new Map<Upstream, Proxy>();
  for (const [name, target] of Object.entries(upstreamUrls(config)) as [Upstream, string][]) {
    const agent = target.startsWith('https:')
      ? new HttpsAgent({ keepAlive: true, maxSockets: 256 })
      : new HttpAgent({ keepAlive: true, maxSockets: 256 });
    // the error handler retries through the proxy it belongs to
    const proxy: Proxy = createProxyMiddleware<Request, Response>({
      target,
      changeOrigin: true,
      agent,
      proxyTimeout: config.UPSTREAM_TIMEOUT_MS,
      on: {
        proxyReq: (proxyReq, req, res) => {
          for (const header of proxyReq.getHeaderNames()) {
            if (isStrippedHeader(header)) proxyReq.removeHeader(header);
          }
          const requestId = requestIdOf(res);
          proxyReq.setHeader('x-request-id', requestId);
          const caller = maybeCallerOf(res);
          const garage = res.locals.garage as Garage | undefined;
          if (caller && garage) {
            const claims = {
              organisationId: caller.organisation._id,
              keyId: caller.key._id,
              permission: caller.key.permission,
              garageId: garage._id,
              garage: { name: garage.name, timezone: garage.timezone, currency: garage.currency },
              requestId,
            };
            proxyReq.setHeader(INTERNAL_TOKEN_HEADER, signInternalToken(claims, config.INTERNAL_JWT_SECRET, config.INTERNAL_JWT_TTL_SECONDS));
          }
          proxyReq.on('timeout', () => timedOut.add(req));
          outgoing.set(req, proxyReq);
        },
        proxyRes: (proxyRes, _req, res) => {
          const code = proxyRes.headers[ERROR_CODE_HEADER];
          if (typeof code === 'string') res.locals.errorCode = code;
          delete proxyRes.headers[ERROR_CODE_HEADER];
        },
        error: (error, req, res) => {
          const request = req;
          if (isRetryable(error, request, outgoing.get(request), res) && !retried.has(request)) {
            // the upstream closed an idle keep-alive socket as we reused it: nothing reached it, so once more on a fresh one
            retried.add(request);
            logger.debug({ upstream: name }, 'retrying on a fresh upstream socket');
            void proxy(request, res as Response, () => undefined);
            return;
          }
          const timeout = timedOut.has(req as IncomingMessage);
          logger.warn({ err: error, upstream: name, timeout }, 'upstream request failed');
          const appError: AppError = timeout
            ? errors.unavailable(`The ${name} service did not answer in time.`, 'UPSTREAM_TIMEOUT', 504)
            : errors.unavailable(`The ${name} service is unavailable. Try again shortly.`);
          sendProxyError(res, appError);
        },
      },
    });
    proxies.set(name, proxy);
  }
  return proxies;
}

/** `/api/v1/garages/{gid}/<resource>/…` (after auth and scope) and `/api/v1/public/<resource>/…`. */
export function proxyRouter(config: Config, logger: Logger) {
  const proxies = createProxies(config, logger);
  const dispatch = (routes: Record<string, Upstream>, labelPrefix: string) =>
    (req: Request, res: Response, next: NextFunction) => {
      const resource = req.path.split('/')[1] ?? '';
      const upstream = routes[resource];
      if (!upstream) throw errors.routeNotFound(req.method, req.originalUrl.split('?')[0] ?? req.path);
      const upload = isUpload(req.path);
      const limit = upload ? config.UPLOAD_LIMIT_BYTES : config.BODY_LIMIT_BYTES;
      if (Number(req.header('content-length') ?? 0) > limit) throw errors.payloadTooLarge(`${limit} bytes`);
      assertSupportedBody(req, upload);
      res.locals.routeLabel = `${labelPrefix}${templatePath(req.path)}`;
      req.url = req.originalUrl; // services serve the same public path
      return proxies.get(upstream)?.(req, res, next);
    };
  return {
    garage: dispatch(resourceRoutes, '/api/v1/garages/:garageId') as RequestHandler,
    public: dispatch(publicRoutes, '/api/v1/public') as RequestHandler,
  };
}

/** Booking attachments are the one place larger bodies are expected. */
function isUpload(path: string): boolean {
  return /^\/bookings\/[^/]+\/attachments\/?$/.test(path);
}

/** `/bookings/6650…/status` → `/bookings/:id/status`: ids out of metric labels and audit routes. */
export function templatePath(path: string): string {
  return path
    .split('/')
    .map((segment, index) => (index > 1 && /\d/.test(segment) ? ':id' : segment))
    .join('/');
}

function sendProxyError(res: ServerResponse | Socket, error: AppError): void {
  if (!('writeHead' in res)) {
    res.destroy();
    return;
  }
  if (res.headersSent) {
    res.end();
    return;
  }
  (res as Response).locals.errorCode = error.code;
  const requestId = String(res.getHeader('x-request-id') ?? 'unknown');
  res.writeHead(error.status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(errorBody(error, requestId)));
}
