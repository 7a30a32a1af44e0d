import { errorResponses, openApiRegistry, successResponses, type Success } from '@pitlane/core';
import { z } from 'zod';

import { adjustSchema, createItemSchema, patchItemSchema } from './item.schemas';
import { lists } from './list-queries';
import {
  adjustResult,
  categoryResource,
  itemResource,
  movementResource,
  purchaseOrderResource,
  purchaseOrderStatsResource,
  stockStatsResource,
} from './response-schemas';
import { createPurchaseOrderSchema, receiveSchema, statusChangeSchema } from './purchase-order.schemas';

/** The inventory paths in the OpenAPI document, with their request bodies (registered once per process). */
const base = '/garages/{garageId}';
const garageId = z.object({ garageId: z.string() });
const withId = (name: string) => garageId.extend({ [name]: z.string() });
const one = (data: z.ZodType, status: 200 | 201 = 200): Success => ({ data, status });
const page = (data: z.ZodType): Success => ({ data, list: true });
/** the query each list reads: the routes' own strict schemas (list-queries.ts) */
const queries: Record<string, z.ZodObject> = {
  '/inventory': lists.items.schema,
  '/inventory/low-stock': lists.lowStock.schema,
  '/inventory/categories': lists.categories.schema,
  '/inventory/{iid}/movements': lists.movements.schema,
  '/purchase-orders': lists.purchaseOrders.schema,
  '/purchase-orders/stats': lists.purchaseOrderStats.schema,
};
const body = (schema: z.ZodType) => ({ body: { content: { 'application/json': { schema } } } });

const paths: [method: 'get' | 'post' | 'patch', path: string, summary: string, params: z.ZodObject, requestBody: z.ZodType | undefined, success: Success][] = [
  ['get', '/inventory', 'List items (category, q, lowStock, sort, pagination)', garageId, undefined, page(itemResource)],
  ['post', '/inventory', 'Create an item', garageId, createItemSchema, one(itemResource, 201)],
  ['get', '/inventory/low-stock', 'Items at or below their reorder level', garageId, undefined, page(itemResource)],
  ['get', '/inventory/categories', 'Categories with item count and stock value', garageId, undefined, page(categoryResource)],
  ['get', '/inventory/stats', 'Stock statistics', garageId, undefined, one(stockStatsResource)],
  ['get', '/inventory/barcode/{code}', 'Find an item by barcode (GTINs normalised)', withId('code'), undefined, one(itemResource)],
  ['get', '/inventory/{iid}', 'Get an item', withId('iid'), undefined, one(itemResource)],
  ['patch', '/inventory/{iid}', 'Change an item', withId('iid'), patchItemSchema, one(itemResource)],
  ['post', '/inventory/{iid}/adjust', 'Adjust stock (atomic; never below zero)', withId('iid'), adjustSchema, one(adjustResult)],
  ['get', '/inventory/{iid}/movements', 'The stock ledger of an item', withId('iid'), undefined, page(movementResource)],
  ['get', '/purchase-orders', 'List purchase orders', garageId, undefined, page(purchaseOrderResource)],
  ['post', '/purchase-orders', 'Create a purchase order (draft)', garageId, createPurchaseOrderSchema, one(purchaseOrderResource, 201)],
  ['get', '/purchase-orders/stats', 'Purchase order statistics', garageId, undefined, one(purchaseOrderStatsResource)],
  ['get', '/purchase-orders/{pid}', 'Get a purchase order', withId('pid'), undefined, one(purchaseOrderResource)],
  ['post', '/purchase-orders/{pid}/status', 'Change the status of a purchase order', withId('pid'), statusChangeSchema, one(purchaseOrderResource)],
  ['post', '/purchase-orders/{pid}/receive', 'Receive goods (weighted-average cost, ledger)', withId('pid'), receiveSchema, one(purchaseOrderResource)],
];

for (const [method, path, summary, params, requestBody, success] of paths) {
  openApiRegistry.registerPath({
    method,
    path: `${base}${path}`,
    tags: [path.startsWith('/purchase') ? 'Purchase orders' : 'Inventory'],
    summary,
    request: { params, ...(method === 'get' && queries[path] ? { query: queries[path] } : {}), ...(requestBody ? body(requestBody) : {}) },
    responses: { ...successResponses(summary, success), ...errorsOf(method, path) },
  });
}

/** The error statuses of an operation and their codes. */
function errorsOf(method: string, path: string) {
  const write = method !== 'get';
  return errorResponses({
    400: ['VALIDATION_FAILED', ...(write ? ['INVALID_JSON'] : []), ...(path.includes('barcode') || (write && path.startsWith('/inventory')) ? ['INVALID_BARCODE'] : [])],
    404: path.includes('{') || path.startsWith('/purchase-orders') ? ['RESOURCE_NOT_FOUND'] : [],
    409: write
      ? [
          ...(path.endsWith('/adjust') ? ['INSUFFICIENT_STOCK'] : []),
          ...(path.startsWith('/purchase-orders/') ? ['INVALID_STATUS_TRANSITION'] : []),
          // a create, a barcode another item has, a receipt id already recorded with other lines
          ...((method === 'post' && !path.includes('{')) || (method === 'patch' && path === '/inventory/{iid}') || path.endsWith('/receive') ? ['DUPLICATE_RESOURCE'] : []),
          ...(path.endsWith('/receive') ? ['RECEIPT_EXCEEDS_ORDER'] : []),
        ]
      : [],
  });
}
