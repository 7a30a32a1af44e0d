import { randomUUID } from 'node:crypto';

import { errors } from '@pitlane/core';

import type { DeliveryQueue } from '../data-access/delivery-queue.repository';
import type { WebhooksRepository } from '../data-access/webhooks.repository';
import { TEST_EVENT_TYPE } from '../domain/event-filter';
import type { DeliveryWorker } from './delivery/delivery-worker';
import { enqueueDeliveries } from './enqueue-deliveries';
import { loadActiveWebhook } from './load-webhook';

/** A webhook.test event through the same pipeline as any other: stored, signed, retried. */
export function sendTestEvent(deps: { webhooks: WebhooksRepository; queue: DeliveryQueue; worker: DeliveryWorker }) {
  return async (garageId: string, id: string, requestId: string | null) => {
    const doc = await loadActiveWebhook(deps.webhooks, garageId, id);
    const endpoint = await deps.webhooks.endpoint(doc.garageId, doc._id);
    if (!endpoint) throw errors.notFound('Webhook');
    const event = {
      id: randomUUID(),
      type: TEST_EVENT_TYPE,
      occurredAt: new Date().toISOString(),
      garageId: doc.garageId,
      data: { webhookId: doc._id, message: 'This is a test event from Pitlane.', requestId },
    };
    const [[delivery] = []] = await enqueueDeliveries(deps, [{ event, endpoints: [endpoint] }]);
    if (!delivery) throw errors.internal();
    return { deliveryId: delivery.id, eventId: event.id, type: event.type };
  };
}
