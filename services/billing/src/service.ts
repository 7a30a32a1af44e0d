import { startService, type RunningService, type ServiceDefinition } from '@pitlane/runtime';

import { buildApp } from './app';
import type { Config } from './config';
import { outboxModels, registerModels, type Models } from './data-access/models';
import { subscribeBookingCompleted } from './entry-points/messaging/booking.completed.handler';
import { subscribeReadModels } from './entry-points/messaging/customer-vehicle.handlers';

export type BillingService = RunningService<Models>;

/** Everything main.ts and the integration tests need to run one billing instance. */
export function startBilling(
  config: Config,
  overrides: Partial<Pick<ServiceDefinition<Models>, 'queue' | 'logger' | 'relayPollIntervalMs' | 'retryDelaysMs'>> = {},
): Promise<BillingService> {
  return startService<Models>({
    name: 'billing',
    config,
    registerModels,
    outboxModels,
    subscribe: (bus, deps) => {
      subscribeReadModels(bus, deps.models);
      subscribeBookingCompleted(bus, deps);
    },
    buildApp: (deps) => buildApp(config, deps),
    ...overrides,
  });
}
