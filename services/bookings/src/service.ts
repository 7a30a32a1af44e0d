import { startService, type RunningService, type ServiceDefinition } from '@pitlane/runtime';

import { buildApp } from './app';
import type { Config } from './config';
import { CapacityStore } from './data-access/capacity';
import type { Ctx } from './data-access/context';
import { outboxModels, registerModels, type Models } from './data-access/models';
import { Reconciler } from './data-access/reconciler';
import { subscribe } from './entry-points/messaging/subscribe';

export type BookingsService = RunningService<Models> & { ctx: Ctx };

/** Everything main.ts and the integration tests need to run one bookings instance. */
export async function startBookings(
  config: Config,
  overrides: Partial<Pick<ServiceDefinition<Models>, 'queue' | 'logger' | 'relayPollIntervalMs' | 'retryDelaysMs'>> = {},
): Promise<BookingsService> {
  let ctx: Ctx | undefined;
  const ctxOf = (): Ctx => {
    if (!ctx) throw new Error('bookings context is built with the app');
    return ctx;
  };
  const running = await startService<Models>({
    name: 'bookings',
    config,
    registerModels,
    outboxModels,
    subscribe: (bus, deps) => subscribe(bus, deps.models),
    buildApp: (deps) => {
      const reconciler = new Reconciler(deps.models, config.CLAIM_GRACE_MS, deps.logger);
      const capacity = new CapacityStore(deps.models, (key) => reconciler.reconcileCounter(key));
      reconciler.capacity = capacity;
      ctx = { config, models: deps.models, capacity, reconciler, relay: deps.relay, connection: deps.connection };
      return buildApp(config, deps, ctx);
    },
    // at start-up, then periodically: release what a crashed instance left claimed
    workers: () => {
      const { reconciler } = ctxOf();
      return [{ name: 'reconciler', start: () => reconciler.start(config.RECONCILE_INTERVAL_MS), stop: () => reconciler.stop() }];
    },
    ...overrides,
  });
  return { ...running, ctx: ctxOf() };
}
