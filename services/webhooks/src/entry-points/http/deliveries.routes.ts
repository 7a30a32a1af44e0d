import { authOf, errors, nextDay, sendData, sendList, startOfLocalDay } from '@pitlane/core';
import type { Request, Router } from 'express';

import type { WebhooksContext } from '../../service';
import { lists } from './list-queries';
import { toDeliveryView } from './views';

const garageOf = (req: Request) => req.params.garageId as string;
const widOf = (req: Request) => req.params.wid as string;

/** A subscription's delivery history (each with its attempts) and manual retries. */
export function deliveryRoutes(router: Router, ctx: WebhooksContext): void {
  const { webhooks, deliveries, useCases } = ctx;

  router.get('/webhooks/:wid/deliveries', async (req, res) => {
    const { pagination, filters } = lists.deliveries.parse(req.query);
    const webhook = await webhooks.get(garageOf(req), widOf(req));
    if (!webhook) throw errors.notFound('Webhook');
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
    const delivery = await deliveries.get(garageOf(req), widOf(req), req.params.did);
    if (!delivery) throw errors.notFound('Delivery');
    sendData(res, toDeliveryView(delivery));
  });

  router.post('/webhooks/:wid/deliveries/:did/retry', async (req, res) => {
    sendData(res, await useCases.redeliver(garageOf(req), widOf(req), req.params.did), 202);
  });
}
