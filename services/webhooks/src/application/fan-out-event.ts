import type { EventEnvelope } from '@pitlane/events';

import type { DeliveryQueue } from '../data-access/delivery-queue.repository';
import type { WebhooksRepository } from '../data-access/webhooks.repository';
import { subscribesTo, TEST_EVENT_TYPE } from '../domain/event-filter';
import type { DeliveryWorker } from './delivery/delivery-worker';
import { enqueueDeliveries } from './enqueue-deliveries';

/**
 * Every event on the exchange: one delivery per active subscription of its garage (and
 * organisation) that wants the type, persisted (unique per event and subscription) before the bus
 * acks and before any attempt. 'duplicate' when a redelivered event found its deliveries stored.
 */
export function fanOutEvent(deps: { webhooks: WebhooksRepository; queue: DeliveryQueue; worker: DeliveryWorker }) {
  return async (event: EventEnvelope): Promise<'handled' | 'duplicate'> => {
    if (!event.garageId || event.type === TEST_EVENT_TYPE) return 'handled';
    const endpoints = (await deps.webhooks.activeForGarage(event.garageId)).filter(
      (endpoint) => endpoint.organisationId === event.organisationId && subscribesTo(endpoint.events, event.type),
    );
    if (endpoints.length === 0) return 'handled';
    const created = await enqueueDeliveries(deps, event, endpoints);
    return created.length > 0 ? 'handled' : 'duplicate';
  };
}
