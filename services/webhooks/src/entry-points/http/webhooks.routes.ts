import { randomUUID } from 'node:crypto';

import { authOf, errors, parsePagination, sendData, sendList, validate } from '@pitlane/core';
import type { Request, Router } from 'express';

import type { WebhooksContext } from '../../context';
import { enqueue } from '../../delivery/enqueue';
import { TEST_EVENT_TYPE } from '../../domain/event-filter';
import { registerOpenApi } from './openapi';
import { recoverSchema, webhookListQuery, webhookSchemas } from './schemas';
import { toWebhookView } from './views';

const garageOf = (req: Request) => req.params.garageId as string;
const widOf = (req: Request) => req.params.wid as string;

/** Subscriptions: CRUD, secret rotation, test event and recover. */
export function webhookRoutes(router: Router, context: WebhooksContext): void {
  const { webhooks, deliveries, worker, config } = context;
  const schemas = webhookSchemas(config);
  registerOpenApi(schemas);

  const load = async (req: Request) => {
    const doc = await webhooks.get(garageOf(req), widOf(req));
    if (!doc) throw errors.notFound('Webhook');
    return doc;
  };

  router.get('/webhooks', async (req, res) => {
    const pagination = parsePagination(req.query, { sortable: ['createdAt', 'url', 'status'], defaultSort: '-createdAt' });
    const { status } = validate(webhookListQuery, { status: req.query.status }, 'query');
    const { items, total } = await webhooks.list(garageOf(req), status, pagination.skip, pagination.limit, pagination.sort);
    sendList(res, items.map(toWebhookView), pagination, total);
  });

  router.post('/webhooks', async (req, res) => {
    const body = validate(schemas.create, req.body, 'body');
    const auth = authOf(res);
    const { doc, secret } = await webhooks.create({ garageId: garageOf(req), organisationId: auth.organisationId }, body);
    // the only time the secret is shown
    sendData(res, { ...toWebhookView(doc), secret }, 201);
  });

  router.get('/webhooks/:wid', async (req, res) => {
    sendData(res, toWebhookView(await load(req)));
  });

  router.patch('/webhooks/:wid', async (req, res) => {
    const body = validate(schemas.update, req.body, 'body');
    const updated = await webhooks.update(garageOf(req), widOf(req), body);
    if (!updated) throw errors.notFound('Webhook');
    sendData(res, toWebhookView(updated));
  });

  router.delete('/webhooks/:wid', async (req, res) => {
    if (!(await webhooks.delete(garageOf(req), widOf(req)))) throw errors.notFound('Webhook');
    sendData(res, { id: widOf(req), deleted: true });
  });

  router.post('/webhooks/:wid/rotate-secret', async (req, res) => {
    const rotated = await webhooks.rotateSecret(garageOf(req), widOf(req), config.WEBHOOK_SECRET_ROTATION_OVERLAP_MS);
    if (!rotated) throw errors.notFound('Webhook');
    sendData(res, { secret: rotated.secret, previousSecretExpiresAt: rotated.previousSecretExpiresAt.toISOString() });
  });

  /** A webhook.test event through the same pipeline as any other: stored, signed, retried. */
  router.post('/webhooks/:wid/test', async (req, res) => {
    const doc = await load(req);
    if (doc.status !== 'active') {
      throw errors.conflict('WEBHOOK_DISABLED', 'The webhook is disabled; re-enable it with PATCH {"status": "active"} first.');
    }
    const endpoint = await webhooks.endpoint(doc.garageId, doc._id);
    if (!endpoint) throw errors.notFound('Webhook');
    const auth = authOf(res);
    const event = {
      id: randomUUID(),
      type: TEST_EVENT_TYPE,
      occurredAt: new Date().toISOString(),
      garageId: doc.garageId,
      data: { webhookId: doc._id, message: 'This is a test event from Pitlane.', requestId: auth.requestId },
    };
    const [delivery] = await enqueue(context, event, [endpoint]);
    if (!delivery) throw errors.internal();
    sendData(res, { deliveryId: delivery.id, eventId: event.id, type: event.type }, 202);
  });

  /** Svix's recover: re-send every failed delivery created since `since`. */
  router.post('/webhooks/:wid/recover', async (req, res) => {
    const body = validate(recoverSchema, req.body, 'body');
    const doc = await load(req);
    const recovered = await deliveries.recover(doc.garageId, doc._id, new Date(body.since), doc.epoch ?? 0);
    worker.wake();
    sendData(res, { recovered }, 202);
  });
}
