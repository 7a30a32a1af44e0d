import { startService, type RunningService, type ServiceDefinition } from '@pitlane/runtime';

import { buildApp } from './app';
import type { Config } from './config';
import { registerModels, type Models } from './data-access/models';

export type WebhooksService = RunningService<Models>;

/** Everything main.ts and the integration tests need to run one webhooks instance. */
export function startWebhooks(
  config: Config,
  overrides: Partial<Pick<ServiceDefinition<Models>, 'queue' | 'logger' | 'relayPollIntervalMs' | 'retryDelaysMs'>> = {},
): Promise<WebhooksService> {
  return startService<Models>({
    name: 'webhooks',
    config,
    registerModels,
    buildApp: (deps) => buildApp(config, deps),
    ...overrides,
  });
}
