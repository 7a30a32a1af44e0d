import { createServiceApp } from '@pitlane/core';
import type { ServiceDeps } from '@pitlane/runtime';
import type { Express } from 'express';

import type { Config } from './config';
import type { WebhooksContext } from './context';
import type { Models } from './data-access/models';
import { deliveryRoutes } from './entry-points/http/deliveries.routes';
import { webhookRoutes } from './entry-points/http/webhooks.routes';

/** The webhooks service (subscriptions and signed deliveries to partners): builds the express app without listening. */
export function buildApp(config: Config, deps: ServiceDeps<Models>, context: WebhooksContext): Express {
  return createServiceApp({
    logger: deps.logger,
    metrics: deps.metrics,
    internalJwtSecret: config.INTERNAL_JWT_SECRET,
    readiness: deps.readiness,
    bodyLimit: config.BODY_LIMIT,
    garageRoutes: (router) => {
      webhookRoutes(router, context);
      deliveryRoutes(router, context);
    },
  });
}
