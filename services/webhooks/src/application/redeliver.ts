import { errors } from '@pitlane/core';

import type { DeliveriesRepository } from '../data-access/deliveries.repository';
import type { WebhooksRepository } from '../data-access/webhooks.repository';
import type { DeliveryWorker } from './delivery/delivery-worker';
import { loadActiveWebhook } from './load-webhook';

/** Redelivers now (one attempt), whatever the delivery's state, unless an attempt is in flight. */
export function redeliver(deps: { webhooks: WebhooksRepository; deliveries: DeliveriesRepository; worker: DeliveryWorker }) {
  return async (garageId: string, id: string, deliveryId: string): Promise<{ deliveryId: string; status: 'pending' }> => {
    const webhook = await loadActiveWebhook(deps.webhooks, garageId, id);
    const claimed = await deps.deliveries.retryNow(webhook.garageId, webhook._id, deliveryId, webhook.epoch ?? 0);
    if (!claimed) throw errors.notFound('Delivery');
    if (claimed === 'in_progress') {
      throw errors.conflict('DELIVERY_IN_PROGRESS', 'An attempt of this delivery is in flight; retry when it is recorded.');
    }
    const endpoint = await deps.webhooks.endpoint(webhook.garageId, webhook._id);
    if (endpoint) deps.worker.dispatch(claimed, endpoint);
    return { deliveryId: claimed.id, status: 'pending' };
  };
}
