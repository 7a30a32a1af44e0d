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
import type { Redis } from 'ioredis';

import type { Config } from './config';
import type { ConsoleContext } from './console/compose';
import { consoleRouter } from './console/entry-points/console.router';
import type { AuditLog } from './data-access/audit-log';
import type { KeyCache } from './data-access/key-cache';
import type { TenancyRepository } from './data-access/tenancy';
import { auditTrail } from './entry-points/http/audit';
import { authenticate, callerOf, requirePermission } from './entry-points/http/authenticate';
import { garagesRoutes } from './entry-points/http/garages.routes';
import { proxyRouter } from './entry-points/http/proxy';
import { rateLimitByIp, rateLimitByKey } from './entry-points/http/rate-limit';

export interface GatewayDeps {
  logger: Logger;
  metrics: Metrics;
  tenancy: TenancyRepository;
  keys: KeyCache;
  redis: Redis;
  audit: AuditLog;
  readiness: Record<string, ReadinessCheck>;
  /** the API Access console (issue 10) */
  console?: ConsoleContext;
}

/** The public edge, in the order a request meets it: request id and logs, audit line, API key
 * (401/402), rate limit per key tier (429), permission (403), garage scope (404), then the gateway's
 * own garages endpoints or a proxy to the owning service. Builds the app without listening. */
export function buildApp(config: Config, deps: GatewayDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', true);
  app.use(requestContext());
  app.use(requestLogging(deps.logger, deps.metrics));
  app.use(healthRouter(deps.metrics, deps.readiness));

  const limits = {
    standard: config.RATE_LIMIT_STANDARD,
    premium: config.RATE_LIMIT_PREMIUM,
    enterprise: config.RATE_LIMIT_ENTERPRISE,
    publicPerIp: config.RATE_LIMIT_PUBLIC,
  };
  const proxy = proxyRouter(config, deps.logger);
  app.use('/api/v1', auditTrail(deps.audit));
  app.use('/api/v1/public', rateLimitByIp(deps.redis, limits), proxy.public);
  app.use(
    '/api/v1',
    authenticate(deps.keys, deps.tenancy, deps.logger),
    rateLimitByKey(deps.redis, limits),
    requirePermission,
  );
  app.use('/api/v1', garagesRoutes(deps.tenancy));
  app.use('/api/v1/garages/:garageId', requireGarageInScope(deps.tenancy), proxy.garage);

  if (deps.console) app.use('/console', consoleRouter(deps.console));

  app.use(routeNotFound());
  app.use(errorHandler(deps.logger, `${config.BODY_LIMIT_BYTES} bytes`));
  return app;
}

/** Another organisation's garage, or one outside the key's subset, is a 404: never its data. */
function requireGarageInScope(tenancy: TenancyRepository) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const garage = await tenancy.accessibleGarage(callerOf(res).key, String(req.params.garageId));
    if (!garage) throw errors.notFound('Garage');
    res.locals.garage = garage;
    next();
  };
}
