import { errorResponses, openApiRegistry, successResponses, type Success } from '@pitlane/core';
import { z } from 'zod';

import {
  createdWebhook,
  deliveryResource,
  recovered,
  redeliveryQueued,
  rotatedSecret,
  testEventQueued,
} from './response-schemas';
import { lists } from './list-queries';
import { recoverSchema, webhookView, type webhookSchemas } from './schemas';

const base = '/garages/{garageId}';
const garageId = z.object({ garageId: z.string() });
const webhookId = garageId.extend({ wid: z.string() });
const deliveryId = webhookId.extend({ did: z.string() });
const one = (data: z.ZodType, status: 200 | 201 | 202 = 200): Success => ({ data, status });
const page = (data: z.ZodType): Success => ({ data, list: true });

/** the query each list reads: the routes' own strict schemas (list-queries.ts) */
const queries: Record<string, z.ZodObject> = {
  '/webhooks': lists.webhooks.schema,
  '/webhooks/{wid}/deliveries': lists.deliveries.schema,
};

let registered = false;

/** The webhooks paths in the OpenAPI document (once per process, however many instances run). */
export function registerOpenApi(schemas: ReturnType<typeof webhookSchemas>): void {
  if (registered) return;
  registered = true;
  const paths: [method: 'get' | 'post' | 'patch' | 'delete', path: string, summary: string, params: z.ZodObject, body: z.ZodType | undefined, success: Success][] = [
    ['get', '/webhooks', 'List subscriptions', garageId, undefined, page(webhookView)],
    ['post', '/webhooks', 'Create a subscription (the secret is shown only here)', garageId, schemas.create, one(createdWebhook, 201)],
    ['get', '/webhooks/{wid}', 'Get a subscription', webhookId, undefined, one(webhookView)],
    ['patch', '/webhooks/{wid}', 'Change, disable or re-enable a subscription', webhookId, schemas.update, one(webhookView)],
    ['delete', '/webhooks/{wid}', 'Delete a subscription', webhookId, undefined, { status: 204 }],
    ['post', '/webhooks/{wid}/rotate-secret', 'New secret; the previous one keeps signing during the overlap', webhookId, undefined, one(rotatedSecret)],
    ['post', '/webhooks/{wid}/test', 'Send a webhook.test event through the delivery pipeline', webhookId, undefined, one(testEventQueued, 202)],
    ['post', '/webhooks/{wid}/recover', 'Re-send every failed delivery since a time', webhookId, recoverSchema, one(recovered, 202)],
    ['get', '/webhooks/{wid}/deliveries', 'Delivery history with attempts (status, eventType, dateFrom, dateTo, pagination)', webhookId, undefined, page(deliveryResource)],
    ['get', '/webhooks/{wid}/deliveries/{did}', 'One delivery with its attempts', deliveryId, undefined, one(deliveryResource)],
    ['post', '/webhooks/{wid}/deliveries/{did}/retry', 'Redeliver now (one attempt)', deliveryId, undefined, one(redeliveryQueued, 202)],
  ];
  for (const [method, path, summary, params, body, success] of paths) {
    openApiRegistry.registerPath({
      method,
      path: `${base}${path}`,
      tags: ['Webhooks'],
      summary,
      request: {
        params,
        ...(method === 'get' && queries[path] ? { query: queries[path] } : {}),
        ...(body ? { body: { content: { 'application/json': { schema: body } } } } : {}),
      },
      responses: {
        ...successResponses(summary, success),
        ...errorResponses({
          400: ['VALIDATION_FAILED', ...(method === 'get' ? [] : ['INVALID_JSON'])],
          404: path === '/webhooks' ? [] : ['RESOURCE_NOT_FOUND'],
          409: method === 'post' && path !== '/webhooks' ? ['WEBHOOK_DISABLED', 'DELIVERY_IN_PROGRESS'] : [],
        }),
      },
    });
  }
}
