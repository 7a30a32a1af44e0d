import {
  errorHandler,
  errors,
  healthRouter,
  requestContext,
  requestLogging,
  routeNotFound,
  type Logger,
  type Metrics,
  type ReadinessCheck,
} from '@pitlane/core';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';

import type { Config } from './config';
import type { TenancyRepository } from './data-access/tenancy';
import { authenticate, callerOf } from './entry-points/http/authenticate';
import { garagesRoutes } from './entry-points/http/garages.routes';
import { garageProxy } from './entry-points/http/proxy';

export interface GatewayDeps {
  logger: Logger;
  metrics: Metrics;
  tenancy: TenancyRepository;
  readiness: Record<string, ReadinessCheck>;
}

/** The public edge: request id, logs, health, API-key auth, garage scope, then either an answer of
 * its own (garages) or a proxy to the owning service. Builds the app without listening. */
export function buildApp(config: Config, deps: GatewayDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', true);
  app.use(requestContext());
  app.use(requestLogging(deps.logger, deps.metrics));
  app.use(healthRouter(deps.metrics, deps.readiness));

  const auth = authenticate(deps.tenancy, deps.logger);
  app.use('/api/v1', auth);
  app.use('/api/v1', garagesRoutes(deps.tenancy));
  app.use('/api/v1/garages/:garageId', requireGarageInScope(deps.tenancy), garageProxy(config, deps.logger));

  app.use(routeNotFound());
  app.use(errorHandler(deps.logger, `${config.BODY_LIMIT_BYTES} bytes`));
  return app;
}

/** Another organisation's garage, or one outside the key's subset, is a 404: never its data. */
function requireGarageInScope(tenancy: TenancyRepository) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const garageId = String(req.params.garageId);
    const garage = await tenancy.accessibleGarage(callerOf(res).key, garageId);
    if (!garage) throw errors.notFound('Garage');
    res.locals.garage = garage;
    next();
  };
}
