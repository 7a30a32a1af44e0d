import { createServiceApp } from '@pitlane/core';
import { serviceAppBasics, type ServiceDeps } from '@pitlane/runtime';
import type { Express } from 'express';

import type { Config } from './config';
import type { BookingsContext } from './service';
import type { Models } from './data-access/models';
import './entry-points/http/openapi';
import { attachmentRoutes } from './entry-points/http/attachments.routes';
import { bookingPartsRoutes } from './entry-points/http/booking-parts.routes';
import { bookingRoutes } from './entry-points/http/bookings.routes';
import { catalogRoutes } from './entry-points/http/catalog.routes';
import { clockRoutes } from './entry-points/http/clock.routes';
import { customerRoutes } from './entry-points/http/customers.routes';
import { scheduleRoutes } from './entry-points/http/schedule.routes';
import { vehicleRoutes } from './entry-points/http/vehicles.routes';

/** The bookings service (customers, vehicles, bookings, scheduling, technicians, services, bays): builds the express app without listening. */
export function buildApp(config: Config, deps: ServiceDeps<Models>, ctx: BookingsContext): Express {
  return createServiceApp({
    ...serviceAppBasics(config, deps),
    garageRoutes: (router) => {
      customerRoutes(router, ctx);
      vehicleRoutes(router, ctx);
      scheduleRoutes(router, ctx);
      clockRoutes(router, ctx);
      bookingRoutes(router, ctx);
      catalogRoutes(router, ctx);
      bookingPartsRoutes(router, ctx);
      attachmentRoutes(router, ctx);
    },
  });
}
