import { openApiRegistry } from '@pitlane/core';
import { z } from 'zod';

import { purchaseOrderStatuses } from '../../domain/purchase-order';

const minorUnits = z.number().int('must be a whole number of minor units').min(0, 'must not be negative').max(1_000_000_000);
const quantity = z.number().int('must be a whole number').min(1, 'must be at least 1').max(1_000_000);
const itemId = z.string().trim().min(1).max(64);

export const createPurchaseOrderSchema = openApiRegistry.register(
  'CreatePurchaseOrder',
  z.strictObject({
    supplier: z.strictObject({ name: z.string().trim().min(1).max(200), email: z.email().nullable().optional() }),
    lines: z
      .array(z.strictObject({ itemId, quantity, unitCost: minorUnits }))
      .min(1, 'must have at least one line')
      .max(200)
      .refine((lines) => new Set(lines.map((line) => line.itemId)).size === lines.length, 'must not list the same item twice'),
    expectedDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD').nullable().optional(),
    notes: z.string().trim().max(1000).nullable().optional(),
  }),
);

export const statusChangeSchema = openApiRegistry.register(
  'ChangePurchaseOrderStatus',
  z.strictObject({ status: z.enum(purchaseOrderStatuses) }),
);

export const receiveSchema = openApiRegistry.register(
  'ReceivePurchaseOrder',
  z.strictObject({
    /** optional idempotency key: repeating a receipt with the same id finishes it instead of receiving twice */
    receiptId: z.string().trim().min(8).max(64).regex(/^[A-Za-z0-9_-]+$/).optional(),
    lines: z.array(z.strictObject({ itemId, quantity, unitCost: minorUnits.optional() })).min(1).max(200),
  }),
);

export const purchaseOrderQuerySchema = z.object({
  status: z.enum(purchaseOrderStatuses).optional(),
  supplier: z.string().trim().max(100).optional(),
});
