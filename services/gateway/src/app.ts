import { createBaseApp, errors, type Logger, type Metrics, type ReadinessCheck } from '@pitlane/core';
import { Router, type Express, type NextFunction, type Request, type Response } from 'express';

import type { Config } from './config';
import { consoleRouter } from './console/entry-points/console.router';
import type { TenancyRepository } from './data-access/tenancy.repository';
import { auditTrail } from './entry-points/http/audit';
import { cors } from './entry-points/http/cors';
import { answeredFromMemory, authenticate, callerOf, requirePermission } from './entry-points/http/authenticate';
import { garagesRoutes } from './entry-points/http/garages.routes';
import { proxyRouter } from './entry-points/http/proxy';
import { keyAccess, rateLimitByIp } from './entry-points/http/rate-limit';
import { shortPaths } from './entry-points/http/short-paths';
import { docsRoutes } from './openapi/docs.routes';
import type { GatewayContext } from './service';

export interface AppDeps {
  logger: Logger;
  metrics: Metrics;
  readiness: Record<string, ReadinessCheck>;
  /** what the gateway serves without (Redis: it limits in memory meanwhile) */
  optionalReadiness: Record<string, ReadinessCheck>;
}

/** The public edge, in the order a request meets it: request id and logs (the shared base app),
 * audit line, API key (401/402), rate limit per key tier (429), permission (403), garage scope (404),
 * then the gateway's own garages endpoints or a proxy to the owning service. The gateway parses no
 * bodies on /api/v1 (it streams them on; the console parses its own small JSON) and verifies no internal token (it signs them). Builds without listening. */
export function buildApp(config: Config, ctx: GatewayContext, deps: AppDeps): Express {
  const limits = {
    standard: config.RATE_LIMIT_STANDARD,
    premium: config.RATE_LIMIT_PREMIUM,
    enterprise: config.RATE_LIMIT_ENTERPRISE,
    publicPerIp: config.RATE_LIMIT_PUBLIC,
  };
  const base = {
    ...deps,
    bodyLimit: `${config.BODY_LIMIT_BYTES} bytes`,
    trustProxy: config.TRUST_PROXY,
    exposeMetrics: false,
    errorCodeHeader: false,
    // the audit trail records every /api/v1 request (id, key, route, status, latency, size); an info
    // line per answered request said it twice and cost ~20% of the gateway's throughput (issue 16).
    // Refusals and failures keep their info line.
    quietRequestLog: (req: Request, res: Response) => res.statusCode < 400 && req.originalUrl.startsWith('/api/v1/'),
  };
  return createBaseApp(base, (app) => {
    const proxy = proxyRouter(config, deps.logger);
    const corsPolicy = cors(ctx.tenancy); // per organisation, off by default
    app.use('/api/v1', corsPolicy.beforeAuth);
    const docs = Router();
    docsRoutes(docs);
    app.use(docs); // the reference is public: before audit, key and rate limit
    app.use('/api/v1', auditTrail(ctx.audit));
    app.use('/api/v1/public', rateLimitByIp(ctx.redis, limits, ctx.instances), proxy.public);
    const keys = keyAccess(ctx.redis, authenticate(ctx.keys, ctx.tenancy, deps.logger), {
      limits,
      failureLimit: config.AUTH_FAILURE_LIMIT,
      instances: ctx.instances,
      answeredFromMemory: answeredFromMemory(ctx.keys),
    });
    app.use('/api/v1', keys, requirePermission);
    app.use('/api/v1', corsPolicy.forCaller);
    app.use('/api/v1', shortPaths(ctx.tenancy)); // the seed's /api/v1/bookings etc. for a one-garage key
    const own = Router();
    garagesRoutes(own, ctx);
    app.use('/api/v1', own);
    app.use('/api/v1/garages/:garageId', requireGarageInScope(ctx.tenancy), proxy.garage);
    // the API Access console (issue 10): its page and its own JWT-authenticated JSON API
    app.use('/console', consoleRouter(ctx.console));
  });
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
