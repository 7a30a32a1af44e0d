import { Agent as HttpAgent, type ClientRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Socket } from 'node:net';

import {
  ERROR_CODE_HEADER,
  errorBody,
  errors,
  INTERNAL_TOKEN_HEADER,
  requestIdOf,
  type AppError,
  type Logger,
} from '@pitlane/core';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { createProxyMiddleware, proxyEventsPlugin, type Plugin } from 'http-proxy-middleware';

import type { Config } from '../../config';
import type { Garage } from '../../data-access/tenancy.model';
import { maybeCallerOf } from './authenticate';
import { assertSupportedBody, isRetryable } from './body-policy';
import { InternalTokens } from './internal-tokens';

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
  return name.startsWith('x-pitlane-') || name === 'x-api-key' || name === 'authorization' || name === 'x-internal-token';
}

/** The upstream as http-proxy's target object, parsed once (a string target is parsed per request). */
function targetOf(url: string): { protocol: string; host: string; hostname: string; port: string; path: string } {
  const parsed = new URL(url);
  return { protocol: parsed.protocol, host: parsed.host, hostname: parsed.hostname, port: parsed.port, path: parsed.pathname };
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

/**
 * The keep-alive pool towards one service. `timeout` matters beyond its value: only an agent with one
 * applies the service's `Keep-Alive: timeout=5` hint (minus a second), so an idle socket is dropped
 * here before the service closes it. Without it the pool kept idle sockets forever and a request
 * could be written on one just as the service closed it: a reset nothing can retry for a POST, so a
 * partner got a 503 with every service up (found by the fault suite, docs/faults.md).
 */
export function upstreamAgent(target: string, idleTimeoutMs: number): HttpAgent {
  const options = { keepAlive: true, maxSockets: 256, timeout: idleTimeoutMs };
  return target.startsWith('https:') ? new HttpsAgent(options) : new HttpAgent(options);
}

/** The body bytes of a response the upstream streams without a Content-Length (the audit line's
 * size): counted only then, so the common response costs no per-chunk work. */
export function streamedBytesOf(res: Response): number | undefined {
  const counter = res.locals.streamedBytes as { bytes: number } | undefined;
  return counter?.bytes;
}

/** One keep-alive proxy per service (http-proxy-middleware with only the event plugin: the default
 * logger plugin built a URL per response to log it to nobody); upstream down → 503, too slow → 504,
 * in the envelope. Headers are set on the incoming request before proxying (see `prepareHeaders`). */
function createProxies(config: Config, logger: Logger): Map<Upstream, Proxy> {
  const timedOut = new WeakSet<IncomingMessage>();
  const outgoing = new WeakMap<IncomingMessage, ClientRequest>();
  const retried = new WeakSet<IncomingMessage>();
  const proxies = new Map<Upstream, Proxy>();
  for (const [name, target] of Object.entries(upstreamUrls(config)) as [Upstream, string][]) {
    const agent = upstreamAgent(target, config.UPSTREAM_TIMEOUT_MS);
    // the error handler retries through the proxy it belongs to
    const proxy: Proxy = createProxyMiddleware<Request, Response>({
      target: targetOf(target),
      changeOrigin: true,
      agent,
      proxyTimeout: config.UPSTREAM_TIMEOUT_MS,
      ejectPlugins: true,
      plugins: [proxyEventsPlugin as unknown as Plugin<Request, Response>],
      on: {
        proxyReq: (proxyReq, req) => {
          proxyReq.on('timeout', () => timedOut.add(req));
          outgoing.set(req, proxyReq);
        },
        proxyRes: (proxyRes, _req, res) => {
          const code = proxyRes.headers[ERROR_CODE_HEADER];
          if (typeof code === 'string') res.locals.errorCode = code;
          delete proxyRes.headers[ERROR_CODE_HEADER];
          if (proxyRes.headers['content-length'] === undefined) {
            const counter = { bytes: 0 };
            res.locals.streamedBytes = counter;
            proxyRes.on('data', (chunk: Buffer) => {
              counter.bytes += chunk.length;
            });
          }
          // a client gone mid-response frees the upstream socket (what the ejected default plugin did)
          res.once('close', () => {
            if (!res.writableEnded) proxyRes.destroy();
          });
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

/** Strips client internals, adds the request id and (for key callers) the internal token, on the
 * incoming request's headers, which http-proxy copies onto the upstream request. (Changing the
 * upstream request in its `proxyReq` event threw ERR_HTTP_HEADERS_SENT, and took the process down,
 * whenever the request had been flushed before its socket was assigned.) */
function prepareHeaders(req: Request, res: Response, tokens: InternalTokens): void {
  const headers = req.headers;
  for (const name of Object.keys(headers)) {
    if (isStrippedHeader(name)) delete headers[name];
  }
  headers['x-request-id'] = requestIdOf(res);
  const caller = maybeCallerOf(res);
  const garage = res.locals.garage as Garage | undefined;
  if (caller && garage) headers[INTERNAL_TOKEN_HEADER] = tokens.for(caller, garage);
}

/** `/api/v1/garages/{gid}/<resource>/…` (after auth and scope) and `/api/v1/public/<resource>/…`. */
export function proxyRouter(config: Config, logger: Logger) {
  const proxies = createProxies(config, logger);
  const tokens = new InternalTokens(config.INTERNAL_JWT_SECRET, config.INTERNAL_JWT_TTL_SECONDS);
  const dispatch = (routes: Record<string, Upstream>, labelPrefix: string) =>
    (req: Request, res: Response, next: NextFunction) => {
      const path = req.path;
      const slash = path.indexOf('/', 1);
      const resource = slash === -1 ? path.slice(1) : path.slice(1, slash);
      const upstream = Object.hasOwn(routes, resource) ? routes[resource] : undefined;
      if (!upstream) throw errors.routeNotFound(req.method, req.originalUrl.split('?')[0] ?? path);
      const upload = isUpload(path);
      const limit = upload ? config.UPLOAD_LIMIT_BYTES : config.BODY_LIMIT_BYTES;
      if (Number(req.headers['content-length'] ?? 0) > limit) throw errors.payloadTooLarge(`${limit} bytes`);
      assertSupportedBody(req, upload);
      res.locals.routeLabel = `${labelPrefix}${templatePath(path)}`;
      prepareHeaders(req, res, tokens);
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
  const body = JSON.stringify(errorBody(error, requestId));
  res.writeHead(error.status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
