import { startService, type RunningService, type ServiceDefinition, type ServiceDeps } from '@pitlane/runtime';

import { buildApp } from './app';
import { Attachments } from './application/attachments';
import { BookingDetails } from './application/booking-detail';
import { BookingNumbers } from './application/booking-numbers';
import { CapacityDaysMigration } from './application/capacity-days-migration';
import { CapacityStore } from './application/capacity-store';
import { Catalog } from './application/catalog';
import { ChangeStatus } from './application/change-status';
import { CreateBooking } from './application/create-booking';
import { Customers } from './application/customers';
import { History } from './application/history';
import type { UseCaseDeps } from './application/deps';
import { Parts } from './application/parts';
import { Reconciler } from './application/reconciler';
import { Scheduling } from './application/schedule';
import { Stages } from './application/stages';
import { UpdateBooking } from './application/update-booking';
import { Vehicles } from './application/vehicles';
import type { Config } from './config';
import { outboxModels, registerModels, type Models } from './data-access/models';
import { createRepositories, type Repositories } from './data-access/repositories';
import { subscribe } from './entry-points/messaging/subscribe';

/** What every route and event handler of the service gets: built once by compose(). */
export interface BookingsContext {
  config: Config;
  /** reads the routes may do directly (a use-case adds nothing to a lookup) */
  repos: Repositories;
  reconciler: Reconciler;
  capacityDays: CapacityDaysMigration;
  createBooking: CreateBooking;
  bookingDetails: BookingDetails;
  updateBooking: UpdateBooking;
  changeStatus: ChangeStatus;
  customers: Customers;
  history: History;
  vehicles: Vehicles;
  parts: Parts;
  stages: Stages;
  catalog: Catalog;
  scheduling: Scheduling;
  attachments: Attachments;
}

/** The composition root: repositories, then the reconciler (it reads counters and bookings), then the
 * capacity store (it asks the reconciler about full counters and held locks), then the use-cases. */
export function compose(config: Config, deps: ServiceDeps<Models>): BookingsContext {
  const repos = createRepositories(deps.models, deps.connection, config.LIST_ORDER);
  const reconciler = new Reconciler(repos.capacity, repos.bookings, config.CLAIM_GRACE_MS, deps.logger);
  const capacity = new CapacityStore(repos.capacity, reconciler);
  const useCaseDeps: UseCaseDeps = { config, repos, capacity, numbers: new BookingNumbers(repos.capacity), relay: deps.relay };
  return {
    config,
    repos,
    reconciler,
    capacityDays: new CapacityDaysMigration(repos.capacity, repos.bookings, deps.logger),
    createBooking: new CreateBooking(useCaseDeps),
    bookingDetails: new BookingDetails(useCaseDeps),
    updateBooking: new UpdateBooking(useCaseDeps),
    changeStatus: new ChangeStatus(useCaseDeps),
    customers: new Customers(useCaseDeps),
    history: new History(useCaseDeps),
    vehicles: new Vehicles(useCaseDeps),
    parts: new Parts(useCaseDeps),
    stages: new Stages(useCaseDeps),
    catalog: new Catalog(useCaseDeps),
    scheduling: new Scheduling(useCaseDeps),
    attachments: new Attachments(useCaseDeps),
  };
}

export type BookingsService = RunningService<Models, BookingsContext> & {
  /** the same object as `context` (older tests and benches read `ctx`) */
  ctx: BookingsContext;
};

/** Everything main.ts and the integration tests need to run one bookings instance. */
export async function startBookings(
  config: Config,
  overrides: Partial<Pick<ServiceDefinition<Models>, 'queue' | 'logger' | 'relayPollIntervalMs' | 'retryDelaysMs'>> = {},
): Promise<BookingsService> {
  const running = await startService<Models, BookingsContext>({
    name: 'bookings',
    config,
    registerModels,
    outboxModels,
    compose: (deps) => compose(config, deps),
    subscribe: (bus, ctx) => subscribe(bus, ctx),
    buildApp: (ctx, deps) => buildApp(config, deps, ctx),
    workers: (ctx) => [
      // waits (unlike a worker's usual start): HTTP must not take a booking on a day whose counts the
      // upgrade from capacity_counters has not rebuilt yet
      { name: 'capacity-days-migration', start: async () => void (await ctx.capacityDays.run()), stop: () => Promise.resolve() },
      // at start-up, then periodically: release what a crashed instance left claimed
      { name: 'reconciler', start: () => ctx.reconciler.start(config.RECONCILE_INTERVAL_MS), stop: () => ctx.reconciler.stop() },
    ],
    ...overrides,
  });
  return { ...running, ctx: running.context };
}
