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
 * One delivery per endpoint of each event, all persisted in one round trip before any attempt;
 * those this worker could lease at insert are handed to it at once, the others wait for a poll.
 * Returns what was created, per event (nothing for an event already stored for its endpoints).
 */
export async function enqueueDeliveries(
  deps: { queue: DeliveryQueue; worker: DeliveryWorker },
  fanOuts: { event: WebhookEvent; endpoints: Endpoint[] }[],
): Promise<ClaimedDelivery[][]> {
  // leased at insert only as far as the endpoint's lane has room, counting this batch's own
  const planned = new Map<string, number>();
  const claim = (endpointId: string) => {
    const before = planned.get(endpointId) ?? 0;
    if (!deps.worker.canAccept(endpointId, before)) return false;
    planned.set(endpointId, before + 1);
    return true;
  };
  const created = await deps.queue.insertAll(
    fanOuts.flatMap(({ event, endpoints }) => {
      const body = webhookBody(event);
      return endpoints.map((endpoint) => ({
        garageId: endpoint.garageId,
        organisationId: endpoint.organisationId,
        webhookId: endpoint.id,
        eventId: event.id,
        eventType: event.type,
        body,
        webhookEpoch: endpoint.epoch,
        claim: claim(endpoint.id),
      }));
    }),
  );
  const endpoints = new Map(fanOuts.flatMap((fanOut) => fanOut.endpoints.map((endpoint) => [endpoint.id, endpoint])));
  const byEvent = new Map<string, ClaimedDelivery[]>();
  for (const delivery of created) {
    const endpoint = endpoints.get(delivery.webhookId);
    if (delivery.claimed && endpoint) deps.worker.dispatch(delivery, endpoint);
    else if (!delivery.claimed) deps.worker.leftForPoll(delivery.webhookId);
    const ofEvent = byEvent.get(delivery.eventId) ?? [];
    ofEvent.push(delivery);
    byEvent.set(delivery.eventId, ofEvent);
  }
  return fanOuts.map(({ event }) => byEvent.get(event.id) ?? []);
}
