import { randomUUID } from 'node:crypto';

import { eventSchemas, eventTypes } from '@pitlane/contracts';
import { startService, type RunningService, type ServiceDefinition, type ServiceDeps } from '@pitlane/runtime';
import { z } from 'zod';

import { buildApp } from './app';
import { disablePolicyOf, leaseMsOf, secretKeysOf, type Config } from './config';
import { attemptDelivery } from './application/delivery/attempt-delivery';
import { DeliveryMetrics } from './application/delivery/delivery-metrics';
import { DeliveryWorker } from './application/delivery/delivery-worker';
import { EndpointHealth } from './application/delivery/endpoint-health';
import { fanOutEvent } from './application/fan-out-event';
import { recoverDeliveries } from './application/recover-deliveries';
import { redeliver } from './application/redeliver';
import { resealSecrets } from './application/reseal-secrets';
import { rotateSecret } from './application/rotate-secret';
import { sendTestEvent } from './application/send-test-event';
import { subscribeWebhook } from './application/subscribe-webhook';
import { deleteWebhook, updateWebhook } from './application/update-webhook';
import { DeliveriesRepository } from './data-access/deliveries.repository';
import { DeliveryQueue } from './data-access/delivery-queue.repository';
import { registerModels, type Models } from './data-access/models';
import { WebhookSecretsRepository } from './data-access/webhook-secrets.repository';
import { WebhooksRepository } from './data-access/webhooks.repository';
import { SecretBox } from './domain/secret-box';
import { anyEventHandler } from './entry-points/messaging/any-event.handler';

/** What the routes, the event handler and the worker of one instance share, built once by compose. */
export interface WebhooksContext {
  config: Config;
  /** reads for the routes (lists, single documents) */
  webhooks: WebhooksRepository;
  deliveries: DeliveriesRepository;
  worker: DeliveryWorker;
  /** the start-up pass that moves every stored secret to the current key */
  resealSecrets: () => Promise<{ resealed: number; unreadable: string[] }>;
  useCases: WebhooksUseCases;
}

export type WebhooksUseCases = ReturnType<typeof useCasesOf>;

export type WebhooksService = RunningService<Models, WebhooksContext>;

function useCasesOf(
  config: Config,
  deps: { webhooks: WebhooksRepository; deliveries: DeliveriesRepository; queue: DeliveryQueue; worker: DeliveryWorker },
) {
  return {
    subscribeWebhook: subscribeWebhook(deps),
    updateWebhook: updateWebhook(deps),
    deleteWebhook: deleteWebhook(deps),
    rotateSecret: rotateSecret({ ...deps, overlapMs: config.WEBHOOK_SECRET_ROTATION_OVERLAP_MS }),
    sendTestEvent: sendTestEvent(deps),
    recoverDeliveries: recoverDeliveries(deps),
    redeliver: redeliver(deps),
    fanOutEvent: fanOutEvent(deps),
  };
}

/** The composition root: repositories, the delivery worker and the use-cases, once per instance. */
export function compose(config: Config, deps: ServiceDeps<Models>): WebhooksContext {
  const secretBox = new SecretBox(secretKeysOf(config));
  const webhooks = new WebhooksRepository(deps.models, secretBox, config.WEBHOOK_STATE_CACHE_MS);
  // the lease owner: deliveries this instance claimed are its own until recorded or expired
  const instanceId = randomUUID();
  const deliveries = new DeliveriesRepository(deps.models, instanceId, leaseMsOf(config));
  const queue = new DeliveryQueue(deps.models, instanceId, leaseMsOf(config));
  const health = new EndpointHealth({
    webhooks,
    policy: disablePolicyOf(config),
    logger: deps.logger,
    onDisabled: () => deps.relay.nudge(),
  });
  const attempt = attemptDelivery({
    config,
    queue,
    webhooks,
    health,
    metrics: new DeliveryMetrics(deps.metrics.registry),
    logger: deps.logger,
  });
  const worker = new DeliveryWorker({ config, queue, webhooks, logger: deps.logger, attempt });
  return {
    config,
    webhooks,
    deliveries,
    worker,
    resealSecrets: resealSecrets({ secrets: new WebhookSecretsRepository(deps.models, secretBox), logger: deps.logger, currentKeyId: secretBox.currentKeyId }),
    useCases: useCasesOf(config, { webhooks, deliveries, queue, worker }),
  };
}

/** Everything main.ts and the integration tests need to run one webhooks instance. */
export async function startWebhooks(
  config: Config,
  overrides: Partial<Pick<ServiceDefinition<Models, WebhooksContext>, 'queue' | 'logger' | 'relayPollIntervalMs' | 'retryDelaysMs'>> = {},
): Promise<WebhooksService> {
  return startService<Models, WebhooksContext>({
    name: 'webhooks',
    config,
    registerModels,
    outboxModels: (models) => [models.Webhook],
    compose: (deps) => compose(config, deps),
    subscribe: (bus, context) => {
      const handler = anyEventHandler(context);
      // known types are validated against their contract (invalid data is dead-lettered by the
      // bus); '#' takes every other type, so partners also get events added after this release
      for (const type of eventTypes) bus.subscribe(type, eventSchemas[type], handler);
      bus.subscribe('#', z.unknown(), handler);
    },
    buildApp: (context, deps) => buildApp(config, deps, context),
    // startService stops it after the bus consumers (no new events) and before the relay, so the
    // attempts in flight are recorded and an endpoint it disables is still announced
    workers: ({ worker, resealSecrets: reseal }) => [
      // before anything is sent or listened for: no plain-text or retired-key secret outlives a start
      { name: 'secret-reseal', start: async () => void (await reseal()), stop: () => Promise.resolve() },
      { name: 'delivery', start: () => worker.start(), stop: () => worker.stop() },
    ],
    ...overrides,
  });
}
