import type { EventEnvelope, HandlerOutcome } from '@pitlane/events';

import type { DeliveryQueue } from '../../data-access/delivery-queue';
import type { WebhooksRepository } from '../../data-access/webhooks.repository';
import type { DeliveryWorker } from '../../delivery/delivery-worker';
import { enqueue } from '../../delivery/enqueue';
import { subscribesTo, TEST_EVENT_TYPE } from '../../domain/event-filter';

export interface FanOutDeps {
  webhooks: WebhooksRepository;
  queue: DeliveryQueue;
  worker: DeliveryWorker;
}

/**
 * Every event on the exchange: one delivery per active subscription of its garage (and
 * organisation) that wants the type, persisted (unique per event and subscription) before the bus
 * acks and before any attempt. A redelivered event finds its deliveries there and creates nothing.
 */
export function fanOutHandler(deps: FanOutDeps) {
  return async (event: EventEnvelope): Promise<HandlerOutcome> => {
    if (!event.garageId || event.type === TEST_EVENT_TYPE) return 'handled';
    const endpoints = (await deps.webhooks.activeForGarage(event.garageId)).filter(
      (endpoint) => endpoint.organisationId === event.organisationId && subscribesTo(endpoint.events, event.type),
    );
    if (endpoints.length === 0) return 'handled';
    const created = await enqueue(deps, event, endpoints);
    return created.length > 0 ? 'handled' : 'duplicate';
  };
}
