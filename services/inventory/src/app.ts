import { createServiceApp } from '@pitlane/core';
import { serviceAppBasics, type ServiceDeps } from '@pitlane/runtime';
import type { Express } from 'express';

import type { Config } from './config';
import type { Models } from './data-access/models';
import { itemRoutes } from './entry-points/http/items.routes';
import { purchaseOrderRoutes } from './entry-points/http/purchase-orders.routes';
import type { InventoryContext } from './service';
import './entry-points/http/openapi';

/** The inventory service (items, stock ledger, purchase orders, reservations): builds the express app without listening. */
export function buildApp(config: Config, deps: ServiceDeps<Models>, ctx: InventoryContext): Express {
  return createServiceApp({
    ...serviceAppBasics(config, deps),
    garageRoutes: (router) => {
      purchaseOrderRoutes(router, ctx);
      itemRoutes(router, ctx);
    },
  });
}
