import { authOf, errors, parsePagination, sendData, sendList, validate } from '@pitlane/core';
import type { Request, Router } from 'express';

import type { WebhooksContext } from '../../context';
import { nextDay, startOfLocalDay } from '../../domain/local-day';
import { deliveryQuerySchema } from './schemas';
import { toDeliveryView } from './views';

const garageOf = (req: Request) => req.params.garageId as string;
const widOf = (req: Request) => req.params.wid as string;

/** A subscription's delivery history (each with its attempts) and manual retries. */
export function deliveryRoutes(router: Router, context: WebhooksContext): void {
  const { webhooks, deliveries, worker } = context;

  const loadWebhook = async (req: Request) => {
    const doc = await webhooks.get(garageOf(req), widOf(req));
    if (!doc) throw errors.notFound('Webhook');
    return doc;
  };

  router.get('/webhooks/:wid/deliveries', async (req, res) => {
    const pagination = parsePagination(req.query, { sortable: ['createdAt'], defaultSort: '-createdAt' });
    const filters = validate(deliveryQuerySchema, { status: req.query.status, eventType: req.query.eventType }, 'query');
    const webhook = await loadWebhook(req);
    // dateFrom/dateTo are whole days in the garage's time zone, dateTo inclusive
    const timeZone = authOf(res).garage?.timezone ?? 'UTC';
    const { items, total } = await deliveries.list(
      webhook.garageId,
      webhook._id,
      {
        ...filters,
        ...(pagination.dateFrom ? { from: startOfLocalDay(pagination.dateFrom, timeZone) } : {}),
        ...(pagination.dateTo ? { to: startOfLocalDay(nextDay(pagination.dateTo), timeZone) } : {}),
      },
      pagination.skip,
      pagination.limit,
    );
    sendList(res, items.map(toDeliveryView), pagination, total);
  });

  router.get('/webhooks/:wid/deliveries/:did', async (req, res) => {
    const delivery = await deliveries.get(garageOf(req), widOf(req), req.params.did as string);
    if (!delivery) throw errors.notFound('Delivery');
    sendData(res, toDeliveryView(delivery));
  });

  /** Redelivers now (one attempt), whatever the delivery's state, unless an attempt is in flight. */
  router.post('/webhooks/:wid/deliveries/:did/retry', async (req, res) => {
    const webhook = await loadWebhook(req);
    if (webhook.status !== 'active') {
      throw errors.conflict('WEBHOOK_DISABLED', 'The webhook is disabled; re-enable it with PATCH {"status": "active"} first.');
    }
    const claimed = await deliveries.retryNow(webhook.garageId, webhook._id, req.params.did as string, webhook.epoch ?? 0);
    if (!claimed) throw errors.notFound('Delivery');
    if (claimed === 'in_progress') {
      throw errors.conflict('DELIVERY_IN_PROGRESS', 'An attempt of this delivery is in flight; retry when it is recorded.');
    }
    const endpoint = await webhooks.endpoint(webhook.garageId, webhook._id);
    if (endpoint) worker.dispatch(claimed, endpoint);
    sendData(res, { deliveryId: claimed.id, status: 'pending' }, 202);
  });
}
