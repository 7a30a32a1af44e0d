import type { EventEnvelope, HandlerOutcome } from '@pitlane/events';

import type { DeliveryQueue } from '../../data-access/delivery-queue';
import type { WebhooksRepository } from '../../data-access/webhooks.repository';
import type { DeliveryWorker } from '../../delivery/delivery-worker';
import { subscribesTo, TEST_EVENT_TYPE } from '../../domain/event-filter';

export interface FanOutDeps {
  webhooks: WebhooksRepository;
  queue: DeliveryQueue;
  worker: DeliveryWorker;
}

/** The body partners receive (Standard Webhooks style), fixed once per delivery. */
export function webhookBody(event: Pick<EventEnvelope, 'id' | 'type' | 'occurredAt' | 'garageId' | 'data'>): string {
  return JSON.stringify({ id: event.id, type: event.type, timestamp: event.occurredAt, garageId: event.garageId, data: event.data });
}

/**
 * Every event on the exchange: one delivery per active subscription of its garage that wants the
 * type, persisted (unique per event and subscription) before the bus acks and before any attempt.
 * A redelivered event finds its deliveries already there and creates nothing.
 */
export function fanOutHandler(deps: FanOutDeps) {
  return async (event: EventEnvelope): Promise<HandlerOutcome> => {
    if (!event.garageId || event.type === TEST_EVENT_TYPE) return 'handled';
    const endpoints = (await deps.webhooks.activeForGarage(event.garageId)).filter(
      (endpoint) => endpoint.organisationId === event.organisationId && subscribesTo(endpoint.events, event.type),
    );
    if (endpoints.length === 0) return 'handled';
    const body = webhookBody(event);
    // leased to us at insert when we can send at once; otherwise the poller picks it up
    const created = await deps.queue.insertAll(
      endpoints.map((endpoint) => ({
        garageId: endpoint.garageId,
        organisationId: endpoint.organisationId,
        webhookId: endpoint.id,
        eventId: event.id,
        eventType: event.type,
        body,
        claim: deps.worker.canAccept(endpoint.id),
      })),
    );
    const byId = new Map(endpoints.map((endpoint) => [endpoint.id, endpoint]));
    for (const delivery of created) {
      const endpoint = byId.get(delivery.webhookId);
      if (delivery.claimed && endpoint) deps.worker.dispatch(delivery, endpoint);
    }
    return created.length > 0 ? 'handled' : 'duplicate';
  };
}
