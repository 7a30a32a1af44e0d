import { eventSchemas, eventTypes } from '@pitlane/contracts';
import { startService, type RunningService, type ServiceDefinition } from '@pitlane/runtime';
import { z } from 'zod';

import { buildApp } from './app';
import type { Config } from './config';
import { createContext, type WebhooksContext } from './context';
import { registerModels, type Models } from './data-access/models';
import { fanOutHandler } from './entry-points/messaging/any-event.handler';

export type WebhooksService = RunningService<Models>;

/** Everything main.ts and the integration tests need to run one webhooks instance. */
export async function startWebhooks(
  config: Config,
  overrides: Partial<Pick<ServiceDefinition<Models>, 'queue' | 'logger' | 'relayPollIntervalMs' | 'retryDelaysMs'>> = {},
): Promise<WebhooksService> {
  let context: WebhooksContext | undefined;
  const contextOf = (deps: Parameters<typeof createContext>[1]) => (context ??= createContext(config, deps));

  return startService<Models>({
    name: 'webhooks',
    config,
    registerModels,
    outboxModels: (models) => [models.Webhook],
    subscribe: (bus, deps) => {
      const handler = fanOutHandler(contextOf(deps));
      // known types are validated against their contract (invalid data is dead-lettered by the
      // bus); '#' takes every other type, so partners also get events added after this release
      for (const type of eventTypes) bus.subscribe(type, eventSchemas[type], handler);
      bus.subscribe('#', z.unknown(), handler);
    },
    buildApp: (deps) => buildApp(config, deps, contextOf(deps)),
    // startService stops it after the bus consumers (no new events) and before the relay, so the
    // attempts in flight are recorded and an endpoint it disables is still announced
    workers: (deps) => {
      const { worker } = contextOf(deps);
      return [{ name: 'delivery', start: () => worker.start(), stop: () => worker.stop() }];
    },
    ...overrides,
  });
}
