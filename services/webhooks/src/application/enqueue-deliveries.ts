import type { EventEnvelope } from '@pitlane/events';

import type { ClaimedDelivery, DeliveryQueue } from '../data-access/delivery-queue.repository';
import type { Endpoint } from '../data-access/webhooks.repository';
import type { DeliveryWorker } from './delivery/delivery-worker';

export type WebhookEvent = Pick<EventEnvelope, 'id' | 'type' | 'occurredAt' | 'garageId' | 'data'>;

/** The body partners receive (Standard Webhooks style), fixed once per delivery. */
export function webhookBody(event: WebhookEvent): string {
  return JSON.stringify({ id: event.id, type: event.type, timestamp: event.occurredAt, garageId: event.garageId, data: event.data });
}

/**
 * One delivery per endpoint, persisted before any attempt; those this worker could lease at
 * insert are handed to it at once, the others wait for a poll. Returns what was created (nothing
 * for an event already stored for these endpoints).
 */
export async function enqueueDeliveries(
  deps: { queue: DeliveryQueue; worker: DeliveryWorker },
  event: WebhookEvent,
  endpoints: Endpoint[],
): Promise<ClaimedDelivery[]> {
  const body = webhookBody(event);
  const created = await deps.queue.insertAll(
    endpoints.map((endpoint) => ({
      garageId: endpoint.garageId,
      organisationId: endpoint.organisationId,
      webhookId: endpoint.id,
      eventId: event.id,
      eventType: event.type,
      body,
      webhookEpoch: endpoint.epoch,
      claim: deps.worker.canAccept(endpoint.id),
    })),
  );
  const byId = new Map(endpoints.map((endpoint) => [endpoint.id, endpoint]));
  for (const delivery of created) {
    const endpoint = byId.get(delivery.webhookId);
    if (delivery.claimed && endpoint) deps.worker.dispatch(delivery, endpoint);
  }
  return created;
}
