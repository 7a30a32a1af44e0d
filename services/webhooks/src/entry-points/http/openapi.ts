import { errorEnvelopeSchema, openApiRegistry } from '@pitlane/core';
import { z } from 'zod';

import { recoverSchema, webhookView, type webhookSchemas } from './schemas';

const base = '/garages/{garageId}';
const garageId = z.object({ garageId: z.string() });
const webhookId = garageId.extend({ wid: z.string() });
const deliveryId = webhookId.extend({ did: z.string() });
const error = (description: string) => ({ description, content: { 'application/json': { schema: errorEnvelopeSchema } } });
const success = (description: string, data: z.ZodType = z.unknown()) => ({
  description,
  content: { 'application/json': { schema: z.object({ success: z.literal(true), data }) } },
});

let registered = false;

/** The webhooks paths in the OpenAPI document (once per process, however many instances run). */
export function registerOpenApi(schemas: ReturnType<typeof webhookSchemas>): void {
  if (registered) return;
  registered = true;
  const paths: [method: 'get' | 'post' | 'patch' | 'delete', path: string, summary: string, params: z.ZodObject, status: number, body?: z.ZodType, data?: z.ZodType][] = [
    ['get', '/webhooks', 'List subscriptions', garageId, 200, undefined, z.array(webhookView)],
    ['post', '/webhooks', 'Create a subscription (the secret is shown only here)', garageId, 201, schemas.create, webhookView.extend({ secret: z.string() })],
    ['get', '/webhooks/{wid}', 'Get a subscription', webhookId, 200, undefined, webhookView],
    ['patch', '/webhooks/{wid}', 'Change, disable or re-enable a subscription', webhookId, 200, schemas.update, webhookView],
    ['delete', '/webhooks/{wid}', 'Delete a subscription', webhookId, 200],
    ['post', '/webhooks/{wid}/rotate-secret', 'New secret; the previous one keeps signing during the overlap', webhookId, 200],
    ['post', '/webhooks/{wid}/test', 'Send a webhook.test event through the delivery pipeline', webhookId, 202],
    ['post', '/webhooks/{wid}/recover', 'Re-send every failed delivery since a time', webhookId, 202, recoverSchema],
    ['get', '/webhooks/{wid}/deliveries', 'Delivery history with attempts (status, eventType, dateFrom, dateTo, pagination)', webhookId, 200],
    ['get', '/webhooks/{wid}/deliveries/{did}', 'One delivery with its attempts', deliveryId, 200],
    ['post', '/webhooks/{wid}/deliveries/{did}/retry', 'Redeliver now (one attempt)', deliveryId, 202],
  ];
  for (const [method, path, summary, params, status, body, data] of paths) {
    openApiRegistry.registerPath({
      method,
      path: `${base}${path}`,
      tags: ['Webhooks'],
      summary,
      request: { params, ...(body ? { body: { content: { 'application/json': { schema: body } } } } : {}) },
      responses: {
        [status]: success(summary, data),
        400: error('Validation failed'),
        404: error('Not found'),
        409: error('Conflict (disabled webhook, attempt in flight)'),
      },
    });
  }
}
