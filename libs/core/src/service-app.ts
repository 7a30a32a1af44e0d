import express, { Router, type Express, type Request, type Response } from 'express';
import type { Logger } from 'pino';

import { healthRouter, type ReadinessCheck } from './health';
import { errorHandler, requestContext, requestLogging, routeNotFound } from './http/middleware';
import { idempotency, type IdempotencyStore } from './http/idempotency';
import { methodNotAllowed } from './http/method-not-allowed';
import { requestGuards } from './http/request-guards';
import { requireGarageScope, requireInternalAuth } from './internal-auth';
import type { Metrics } from './metrics';

export interface ServiceAppOptions {
  logger: Logger;
  /** false when the service serves /metrics on METRICS_PORT (metricsApp) */
  exposeMetrics?: boolean;
  metrics: Metrics;
  internalJwtSecret: string;
  readiness: Record<string, ReadinessCheck>;
  bodyLimit?: string;
  /** the service's Idempotency-Key store (serviceAppBasics passes its database's): every POST behind
   * the internal token honours `Idempotency-Key` through the one shared middleware */
  idempotency?: IdempotencyStore;
  /** routes under `/api/v1/garages/:garageId` (token must be for that garage) */
  garageRoutes?: (router: Router) => void;
  /** routes under `/api/v1` that need a gateway token but no garage (e.g. organisation-level) */
  apiRoutes?: (router: Router) => void;
  /** routes under `/api/v1/public` that need no token (e.g. a customer approving an estimate) */
  publicRoutes?: (router: Router) => void;
}

export interface BaseAppOptions {
  logger: Logger;
  metrics: Metrics;
  readiness: Record<string, ReadinessCheck>;
  /** named in the 413 message (the app's own body parsers enforce it) */
  bodyLimit: string;
  /** dependencies the app can serve without (answered as `degraded` in /readyz, still ready) */
  optionalReadiness?: Record<string, ReadinessCheck>;
  /** which X-Forwarded-For hops to believe (express `trust proxy`): a hop count or CIDRs; default none,
   * so `req.ip` is the socket's address and a client cannot choose it */
  trustProxy?: number | string[] | false;
  /** false: /metrics is not on this app (served on an internal port, see metricsApp) */
  exposeMetrics?: boolean;
  /** false on the public edge: errors carry no internal `x-pitlane-error-code` header (see errorHandler) */
  errorCodeHeader?: boolean;
  /** requests whose "request completed" line is debug, not info (recorded elsewhere already) */
  quietRequestLog?: (req: Request, res: Response) => boolean;
}

/** The frame every Pitlane app shares, the gateway included: request id and logs, health/readiness/
 * metrics first; `mount` adds the app's own routes; then 404 for unknown routes and the one error
 * handler. A known path with another method is a 405 with `Allow` (method-not-allowed.ts). */
export function createBaseApp(options: BaseAppOptions, mount: (app: Express) => void): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', options.trustProxy ?? false);
  app.use(requestContext());
  app.use(requestLogging(options.logger, options.metrics, options.quietRequestLog));
  app.use(requestGuards());
  app.use(
    healthRouter(options.metrics, options.readiness, {
      optional: options.optionalReadiness,
      exposeMetrics: options.exposeMetrics ?? true,
    }),
  );
  mount(app);
  app.use(routeNotFound());
  app.use(methodNotAllowed(app));
  app.use(errorHandler(options.logger, options.bodyLimit, { errorCodeHeader: options.errorCodeHeader ?? true }));
  return app;
}

/** The shape every Pitlane service behind the gateway shares: the base frame, internal auth on /api
 * and JSON bodies with a size limit. */
export function createServiceApp(options: ServiceAppOptions): Express {
  const bodyLimit = options.bodyLimit ?? '1mb';
  return createBaseApp({ ...options, bodyLimit }, (app) => mountServiceRoutes(app, options, bodyLimit));
}

function mountServiceRoutes(app: Express, options: ServiceAppOptions, bodyLimit: string): void {
  if (options.publicRoutes) {
    const publicApi = Router();
    publicApi.use(express.json({ limit: bodyLimit, strict: true }));
    options.publicRoutes(publicApi);
    app.use('/api/v1/public', publicApi);
  }

  const api = Router();
  api.use(requireInternalAuth(options.internalJwtSecret));
  api.use(express.json({ limit: bodyLimit, strict: true }));
  if (options.idempotency) api.use(idempotency(options.idempotency, options.logger));
  if (options.garageRoutes) {
    const garage = Router({ mergeParams: true });
    garage.use(requireGarageScope);
    options.garageRoutes(garage);
    api.use('/garages/:garageId', garage);
  }
  if (options.apiRoutes) options.apiRoutes(api);
  app.use('/api/v1', api);
}
