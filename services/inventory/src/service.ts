import { startService, type RunningService, type ServiceDefinition } from '@pitlane/runtime';

import { buildApp } from './app';
import type { Config } from './config';
import { registerModels, type Models } from './data-access/models';

export type InventoryService = RunningService<Models>;

/** Everything main.ts and the integration tests need to run one inventory instance. */
export function startInventory(
  config: Config,
  overrides: Partial<Pick<ServiceDefinition<Models>, 'queue' | 'logger' | 'relayPollIntervalMs' | 'retryDelaysMs'>> = {},
): Promise<InventoryService> {
  return startService<Models>({
    name: 'inventory',
    config,
    registerModels,
    buildApp: (deps) => buildApp(config, deps),
    ...overrides,
  });
}
