import { z } from 'zod';

import { currency, money } from './common';

/** Events the inventory service publishes. Owned by the inventory service. */
export const itemSnapshot = z.object({
  id: z.string(),
  sku: z.string(),
  name: z.string(),
  unitPrice: money,
  currency,
  quantityOnHand: z.number().int(),
  quantityReserved: z.number().int(),
  quantityAvailable: z.number().int(),
  reorderLevel: z.number().int(),
  /** the item's sales tax rate in basis points (2000 = 20 %); absent or null: the garage's default parts rate applies */
  taxRate: z.number().int().min(0).max(10_000).nullable().optional(),
});

export const inventoryEvents = {
  'inventory.item_created': z.object({ item: itemSnapshot }),
  /** any change of quantities or price (adjust, receive, reserve, release, consume, PATCH) */
  'inventory.adjusted': z.object({
    item: itemSnapshot,
    movement: z.object({ id: z.string(), reason: z.string(), quantity: z.number().int() }).nullable(),
  }),
  'inventory.low_stock': z.object({ item: itemSnapshot }),
  'inventory.reserved': z.object({
    bookingId: z.string(),
    lineId: z.string(),
    itemId: z.string(),
    quantity: z.number().int().positive(),
  }),
  'inventory.reservation_failed': z.object({
    bookingId: z.string(),
    lineId: z.string(),
    itemId: z.string(),
    quantity: z.number().int().positive(),
    quantityAvailable: z.number().int(),
    reason: z.enum(['insufficient_stock', 'unknown_item']),
  }),
  'purchase_order.received': z.object({
    purchaseOrderId: z.string(),
    number: z.string(),
    status: z.enum(['partially_received', 'received']),
    lines: z.array(z.object({ itemId: z.string(), quantity: z.number().int().positive() })),
  }),
} as const;
