import { randomUUID } from 'node:crypto';

import type { Logger, Metrics } from '@pitlane/core';
import type { OutboxRelay } from '@pitlane/events';

import { leaseMsOf, type Config } from './config';
import { DeliveriesRepository } from './data-access/deliveries.repository';
import { DeliveryQueue } from './data-access/delivery-queue';
import type { Models } from './data-access/models';
import { WebhooksRepository } from './data-access/webhooks.repository';
import { DeliveryMetrics } from './delivery/delivery-metrics';
import { DeliveryWorker } from './delivery/delivery-worker';
import { SecretBox } from './domain/secret-box';

/** What the routes, the event handler and the worker of one instance share. */
export interface WebhooksContext {
  config: Config;
  webhooks: WebhooksRepository;
  deliveries: DeliveriesRepository;
  queue: DeliveryQueue;
  worker: DeliveryWorker;
}

export function createContext(config: Config, deps: { models: Models; logger: Logger; relay: OutboxRelay; metrics: Metrics }): WebhooksContext {
  const secretsKey = config.WEBHOOK_SECRETS_KEY;
  const webhooks = new WebhooksRepository(deps.models, new SecretBox(secretsKey ? Buffer.from(secretsKey, 'base64') : null));
  const instanceId = randomUUID();
  const deliveries = new DeliveriesRepository(deps.models, instanceId, leaseMsOf(config));
  const queue = new DeliveryQueue(deps.models, instanceId, leaseMsOf(config));
  const worker = new DeliveryWorker({
    config,
    webhooks,
    queue,
    logger: deps.logger,
    metrics: new DeliveryMetrics(deps.metrics.registry),
    onDisabled: () => deps.relay.nudge(),
  });
  return { config, webhooks, deliveries, queue, worker };
}
