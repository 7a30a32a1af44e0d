import { startService, type RunningService, type ServiceDefinition } from '@pitlane/runtime';

import { buildApp } from './app';
import type { Config } from './config';
import { registerModels, type Models } from './data-access/models';

export type BookingsService = RunningService<Models>;

/** Everything main.ts and the integration tests need to run one bookings instance. */
export function startBookings(
  config: Config,
  overrides: Partial<Pick<ServiceDefinition<Models>, 'queue' | 'logger' | 'relayPollIntervalMs' | 'retryDelaysMs'>> = {},
): Promise<BookingsService> {
  return startService<Models>({
    name: 'bookings',
    config,
    registerModels,
    buildApp: (deps) => buildApp(config, deps),
    ...overrides,
  });
}
