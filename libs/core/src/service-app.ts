import express, { Router, type Express } from 'express';
import type { Logger } from 'pino';

import { healthRouter, type ReadinessCheck } from './health';
import { errorHandler, requestContext, requestLogging, routeNotFound } from './http/middleware';
import { requireGarageScope, requireInternalAuth } from './internal-auth';
import type { Metrics } from './metrics';

export interface ServiceAppOptions {
  logger: Logger;
  metrics: Metrics;
  internalJwtSecret: string;
  readiness: Record<string, ReadinessCheck>;
  bodyLimit?: string;
  /** routes under `/api/v1/garages/:garageId` (token must be for that garage) */
  garageRoutes?: (router: Router) => void;
  /** routes under `/api/v1` that need a gateway token but no garage (e.g. organisation-level) */
  apiRoutes?: (router: Router) => void;
  /** routes under `/api/v1/public` that need no token (e.g. a customer approving an estimate) */
  publicRoutes?: (router: Router) => void;
}

/** The shape every Pitlane service shares: request id and logs, health/readiness/metrics, internal
 * auth on /api, JSON bodies with a size limit, 404 for unknown routes and the one error handler. */
export function createServiceApp(options: ServiceAppOptions): Express {
  const bodyLimit = options.bodyLimit ?? '1mb';
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', true);
  app.use(requestContext());
  app.use(requestLogging(options.logger, options.metrics));
  app.use(healthRouter(options.metrics, options.readiness));

  if (options.publicRoutes) {
    const publicApi = Router();
    publicApi.use(express.json({ limit: bodyLimit, strict: true }));
    options.publicRoutes(publicApi);
    app.use('/api/v1/public', publicApi);
  }

  const api = Router();
  api.use(requireInternalAuth(options.internalJwtSecret));
  api.use(express.json({ limit: bodyLimit, strict: true }));
  if (options.garageRoutes) {
    const garage = Router({ mergeParams: true });
    garage.use(requireGarageScope);
    options.garageRoutes(garage);
    api.use('/garages/:garageId', garage);
  }
  if (options.apiRoutes) options.apiRoutes(api);
  app.use('/api/v1', api);

  app.use(routeNotFound());
  app.use(errorHandler(options.logger, bodyLimit));
  return app;
}
