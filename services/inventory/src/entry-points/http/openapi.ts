import { errorEnvelopeSchema, openApiRegistry } from '@pitlane/core';
import { z } from 'zod';

import { adjustSchema, createItemSchema, patchItemSchema } from './item.schemas';
import { createPurchaseOrderSchema, receiveSchema, statusChangeSchema } from './purchase-order.schemas';

/** The inventory paths in the OpenAPI document, with their request bodies (registered once per process). */
const base = '/garages/{garageId}';
const garageId = z.object({ garageId: z.string() });
const withId = (name: string) => garageId.extend({ [name]: z.string() });
const ok = (description: string) => ({
  200: { description, content: { 'application/json': { schema: z.object({ success: z.literal(true), data: z.unknown() }) } } },
  400: { description: 'Validation failed', content: { 'application/json': { schema: errorEnvelopeSchema } } },
  404: { description: 'Not found', content: { 'application/json': { schema: errorEnvelopeSchema } } },
  409: { description: 'Conflict', content: { 'application/json': { schema: errorEnvelopeSchema } } },
});
const body = (schema: z.ZodType) => ({ body: { content: { 'application/json': { schema } } } });

const paths: [method: 'get' | 'post' | 'patch', path: string, summary: string, params: z.ZodObject, requestBody?: z.ZodType][] = [
  ['get', '/inventory', 'List items (category, q, lowStock, sort, pagination)', garageId],
  ['post', '/inventory', 'Create an item', garageId, createItemSchema],
  ['get', '/inventory/low-stock', 'Items at or below their reorder level', garageId],
  ['get', '/inventory/categories', 'Categories with item count and stock value', garageId],
  ['get', '/inventory/stats', 'Stock statistics', garageId],
  ['get', '/inventory/barcode/{code}', 'Find an item by barcode (GTINs normalised)', withId('code')],
  ['get', '/inventory/{iid}', 'Get an item', withId('iid')],
  ['patch', '/inventory/{iid}', 'Change an item', withId('iid'), patchItemSchema],
  ['post', '/inventory/{iid}/adjust', 'Adjust stock (atomic; never below zero)', withId('iid'), adjustSchema],
  ['get', '/inventory/{iid}/movements', 'The stock ledger of an item', withId('iid')],
  ['get', '/purchase-orders', 'List purchase orders', garageId],
  ['post', '/purchase-orders', 'Create a purchase order (draft)', garageId, createPurchaseOrderSchema],
  ['get', '/purchase-orders/stats', 'Purchase order statistics', garageId],
  ['get', '/purchase-orders/{pid}', 'Get a purchase order', withId('pid')],
  ['post', '/purchase-orders/{pid}/status', 'Change the status of a purchase order', withId('pid'), statusChangeSchema],
  ['post', '/purchase-orders/{pid}/receive', 'Receive goods (weighted-average cost, ledger)', withId('pid'), receiveSchema],
];

for (const [method, path, summary, params, requestBody] of paths) {
  openApiRegistry.registerPath({
    method,
    path: `${base}${path}`,
    tags: [path.startsWith('/purchase') ? 'Purchase orders' : 'Inventory'],
    summary,
    request: { params, ...(requestBody ? body(requestBody) : {}) },
    responses: ok(summary),
  });
}
