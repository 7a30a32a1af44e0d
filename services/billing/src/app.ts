import { createServiceApp } from '@pitlane/core';
import { serviceAppBasics, type ServiceDeps } from '@pitlane/runtime';
import type { Express } from 'express';

import type { Config } from './config';
import type { Models } from './data-access/models';
import { creditNoteRoutes } from './entry-points/http/credit-notes.routes';
import { estimateRoutes } from './entry-points/http/estimates.routes';
import { invoiceRoutes } from './entry-points/http/invoices.routes';
import './entry-points/http/openapi';
import { publicEstimateRoutes } from './entry-points/http/public-estimates.routes';
import type { BillingContext } from './service';

/** The billing service (estimates, invoices, payments): builds the express app without listening. */
export function buildApp(config: Config, deps: ServiceDeps<Models>, ctx: BillingContext): Express {
  return createServiceApp({
    ...serviceAppBasics(config, deps),
    garageRoutes: (router) => {
      estimateRoutes(router, ctx);
      invoiceRoutes(router, ctx);
      creditNoteRoutes(router, ctx);
    },
    // the customer's answer to an estimate: the gateway proxies /api/v1/public/estimates/... without a key
    publicRoutes: (router) => publicEstimateRoutes(router, ctx),
  });
}
