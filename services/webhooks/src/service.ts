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

  const running = await startService<Models>({
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
    ...overrides,
  });
  const { worker } = contextOf(running);
  worker.start();

  return {
    ...running,
    close: async () => {
      // no new events first, then let attempts in flight be recorded, then the rest
      await running.bus.stop();
      await worker.stop();
      await running.close();
    },
  };
}
