import type { DeliveriesRepository } from '../data-access/deliveries.repository';
import type { WebhooksRepository } from '../data-access/webhooks.repository';
import type { DeliveryWorker } from './delivery/delivery-worker';
import { loadWebhook } from './load-webhook';

/** Svix's recover: every failed delivery created since `since` is due again (one attempt each),
 * for the subscription's current epoch; the worker polls at once. */
export function recoverDeliveries(deps: { webhooks: WebhooksRepository; deliveries: DeliveriesRepository; worker: DeliveryWorker }) {
  return async (garageId: string, id: string, since: Date): Promise<{ recovered: number }> => {
    const doc = await loadWebhook(deps.webhooks, garageId, id);
    const recovered = await deps.deliveries.recover(doc.garageId, doc._id, since, doc.epoch ?? 0);
    deps.worker.wake();
    return { recovered };
  };
}
