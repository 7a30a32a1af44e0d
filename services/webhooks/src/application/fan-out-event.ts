import type { EventEnvelope } from '@pitlane/events';

import type { DeliveryQueue } from '../data-access/delivery-queue.repository';
import type { WebhooksRepository } from '../data-access/webhooks.repository';
import { subscribesTo, TEST_EVENT_TYPE } from '../domain/event-filter';
import { CallBatcher } from './call-batcher';
import type { DeliveryWorker } from './delivery/delivery-worker';
import { enqueueDeliveries } from './enqueue-deliveries';

type FanOutDeps = { webhooks: WebhooksRepository; queue: DeliveryQueue; worker: DeliveryWorker };
type Outcome = 'handled' | 'duplicate';

/** Events handled together at most (the bus's prefetch bounds it first). */
const MAX_EVENTS_PER_BATCH = 100;

/**
 * Every event on the exchange: one delivery per active subscription of its garage (and
 * organisation) that wants the type, persisted (unique per event and subscription) before the bus
 * acks and before any attempt. 'duplicate' when a redelivered event found its deliveries stored.
 * The events the bus hands over together are fanned out together: one read of their garages'
 * subscriptions and one insert for all their deliveries, instead of two round trips per event
 * (issue 16); an event still resolves (and is acked) only once its own deliveries are stored.
 */
export function fanOutEvent(deps: FanOutDeps): (event: EventEnvelope) => Promise<Outcome> {
  const batcher = new CallBatcher(fanOutEvents(deps), MAX_EVENTS_PER_BATCH);
  return (event) => batcher.call(event);
}

/** The fan-out of several events, one outcome per event in order. */
export function fanOutEvents(deps: FanOutDeps) {
  return async (events: EventEnvelope[]): Promise<Outcome[]> => {
    const relevant = events.filter((event) => event.garageId && event.type !== TEST_EVENT_TYPE);
    if (relevant.length === 0) return events.map(() => 'handled');
    const byGarage = await deps.webhooks.activeForGarages([...new Set(relevant.map((event) => event.garageId as string))]);
    const fanOuts = relevant
      .map((event) => ({
        event,
        endpoints: (byGarage.get(event.garageId as string) ?? []).filter(
          (endpoint) => endpoint.organisationId === event.organisationId && subscribesTo(endpoint.events, event.type),
        ),
      }))
      .filter((fanOut) => fanOut.endpoints.length > 0);
    const created = fanOuts.length > 0 ? await enqueueDeliveries(deps, fanOuts) : [];
    const duplicates = new Set(fanOuts.filter((_fanOut, index) => created[index]?.length === 0).map(({ event }) => event));
    return events.map((event) => (duplicates.has(event) ? 'duplicate' : 'handled'));
  };
}
