import { startService, type RunningService, type ServiceDefinition } from '@pitlane/runtime';

import { buildApp } from './app';
import type { Config } from './config';
import { registerModels, type Models } from './data-access/models';

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
    buildApp: (deps) => buildApp(config, deps),
    ...overrides,
  });
}
