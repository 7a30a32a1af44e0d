import { authOf, errors, sendData, sendList, validate } from '@pitlane/core';
import type { Request, Router } from 'express';

import type { WebhooksContext } from '../../service';
import { registerOpenApi } from './openapi';
import { lists } from './list-queries';
import { recoverSchema, webhookSchemas } from './schemas';
import { toWebhookView } from './views';

const garageOf = (req: Request) => req.params.garageId as string;
const widOf = (req: Request) => req.params.wid as string;

/** Subscriptions: CRUD, secret rotation, test event and recover. */
export function webhookRoutes(router: Router, ctx: WebhooksContext): void {
  const { webhooks, useCases } = ctx;
  const schemas = webhookSchemas(ctx.config);
  registerOpenApi(schemas);

  router.get('/webhooks', async (req, res) => {
    const { pagination, filters } = lists.webhooks.parse(req.query);
    const { items, total } = await webhooks.list(garageOf(req), filters.status, pagination);
    sendList(res, items.map(toWebhookView), pagination, total);
  });

  router.post('/webhooks', async (req, res) => {
    const body = validate(schemas.create, req.body, 'body');
    const tenant = { garageId: garageOf(req), organisationId: authOf(res).organisationId };
    const { webhook, secret } = await useCases.subscribeWebhook(tenant, body);
    // the only time the secret is shown
    sendData(res, { ...toWebhookView(webhook), secret }, 201);
  });

  router.get('/webhooks/:wid', async (req, res) => {
    const doc = await webhooks.get(garageOf(req), widOf(req));
    if (!doc) throw errors.notFound('Webhook');
    sendData(res, toWebhookView(doc));
  });

  router.patch('/webhooks/:wid', async (req, res) => {
    const body = validate(schemas.update, req.body, 'body');
    sendData(res, toWebhookView(await useCases.updateWebhook(garageOf(req), widOf(req), body)));
  });

  router.delete('/webhooks/:wid', async (req, res) => {
    await useCases.deleteWebhook(garageOf(req), widOf(req));
    res.status(204).end();
  });

  router.post('/webhooks/:wid/rotate-secret', async (req, res) => {
    const rotated = await useCases.rotateSecret(garageOf(req), widOf(req));
    sendData(res, { secret: rotated.secret, previousSecretExpiresAt: rotated.previousSecretExpiresAt.toISOString() });
  });

  router.post('/webhooks/:wid/test', async (req, res) => {
    sendData(res, await useCases.sendTestEvent(garageOf(req), widOf(req), authOf(res).requestId), 202);
  });

  router.post('/webhooks/:wid/recover', async (req, res) => {
    const body = validate(recoverSchema, req.body, 'body');
    sendData(res, await useCases.recoverDeliveries(garageOf(req), widOf(req), new Date(body.since)), 202);
  });
}
