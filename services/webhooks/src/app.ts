import { createServiceApp } from '@pitlane/core';
import { serviceAppBasics, type ServiceDeps } from '@pitlane/runtime';
import type { Express } from 'express';

import type { Config } from './config';
import type { Models } from './data-access/models';
import { deliveryRoutes } from './entry-points/http/deliveries.routes';
import { webhookRoutes } from './entry-points/http/webhooks.routes';
import type { WebhooksContext } from './service';

/** The webhooks service (subscriptions and signed deliveries to partners): builds the express app without listening. */
export function buildApp(config: Config, deps: ServiceDeps<Models>, context: WebhooksContext): Express {
  return createServiceApp({
    ...serviceAppBasics(config, deps),
    garageRoutes: (router) => {
      webhookRoutes(router, context);
      deliveryRoutes(router, context);
    },
  });
}
