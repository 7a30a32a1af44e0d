import { openApiRegistry } from '@pitlane/core';
import { z } from 'zod';

/** What partners get back (item-dto.ts, purchase-order DTOs and reports), as zod schemas for the
 * OpenAPI document only. Amounts are integers in the currency minor unit. */
const timestamp = z.string().openapi({ format: 'date-time', example: '2026-03-02T09:15:00.000Z' });
const money = z.number().int();
const currency = z.string().openapi({ example: 'EUR' });
const actor = z.object({ type: z.enum(['api_key', 'event']), id: z.string() });

export const itemResource = openApiRegistry.register(
  'InventoryItem',
  z.object({
    id: z.string(), sku: z.string(), name: z.string(), category: z.string().nullable(), unit: z.string(),
    location: z.string().nullable(), barcode: z.string().nullable(), barcodeFormat: z.string().nullable(),
    quantityOnHand: z.number().int(), quantityReserved: z.number().int(), quantityAvailable: z.number().int(),
    reorderLevel: z.number().int(), lowStock: z.boolean(), unitCost: money.openapi({ description: 'weighted average' }),
    unitPrice: money,
    taxRate: z.number().int().min(0).max(10_000).nullable().openapi({ description: 'tax rate of the part in basis points (2000 = 20 %); null: the garage default parts rate applies' }),
    currency, createdAt: timestamp, updatedAt: timestamp,
  }).openapi({
    example: {
      id: 'itm_01', sku: 'OIL-5W30-1L', name: 'Engine oil 5W-30 1 L', category: 'oils', unit: 'each', location: 'A1', barcode: '4006633123457',
      barcodeFormat: 'EAN-13', quantityOnHand: 24, quantityReserved: 4, quantityAvailable: 20, reorderLevel: 5, lowStock: false,
      unitCost: 650, unitPrice: 1290, taxRate: 2000, currency: 'EUR', createdAt: '2026-03-02T09:15:00.000Z', updatedAt: '2026-03-02T09:15:00.000Z',
    },
  }),
);
export const movementResource = openApiRegistry.register(
  'StockMovement',
  z.object({
    id: z.string(), itemId: z.string().optional(), seq: z.number().int(), reason: z.string().openapi({ example: 'received' }),
    quantity: z.number().int(), reservedQuantity: z.number().int(), quantityOnHand: z.number().int(), quantityReserved: z.number().int(),
    unitCost: money, actor, note: z.string().nullable(), reference: z.record(z.string(), z.string()).nullable(), createdAt: timestamp,
  }),
);
// an explicit union: `.nullable()` on a registered schema comes out as allOf [$ref, null] (zod-to-openapi#387)
export const adjustResult = openApiRegistry.register('StockAdjustment', z.object({ item: itemResource, movement: z.union([movementResource, z.null()]) }));
export const categoryResource = openApiRegistry.register(
  'InventoryCategory',
  z.object({ category: z.string().nullable(), itemCount: z.number().int(), units: z.number().int(), stockValue: money }),
);
export const stockStatsResource = openApiRegistry.register(
  'InventoryStats',
  z.object({
    itemCount: z.number().int(), totalUnits: z.number().int(), reservedUnits: z.number().int(), stockValue: money,
    lowStockCount: z.number().int(), outOfStockCount: z.number().int(), currency,
  }),
);
const poStatus = z.enum(['draft', 'ordered', 'partially_received', 'received', 'cancelled']);
export const purchaseOrderResource = openApiRegistry.register(
  'PurchaseOrder',
  z.object({
    id: z.string(), number: z.string(), supplier: z.object({ name: z.string(), email: z.string().nullable() }), status: poStatus,
    lines: z.array(z.object({
      itemId: z.string(), sku: z.string(), name: z.string(), quantity: z.number().int(), quantityReceived: z.number().int(), unitCost: money, lineTotal: money,
    })),
    total: money, currency, expectedDate: z.string().nullable(), notes: z.string().nullable(),
    receipts: z.array(z.object({ id: z.string(), lines: z.array(z.object({ itemId: z.string(), quantity: z.number().int(), unitCost: money })), receivedAt: timestamp })),
    createdAt: timestamp, updatedAt: timestamp,
  }),
);
export const purchaseOrderStatsResource = openApiRegistry.register(
  'PurchaseOrderStats',
  z.object({
    total: z.number().int(), countsByStatus: z.record(z.string(), z.number().int()), openValue: money, receivedValue: money,
    dateFrom: z.string().nullable(), dateTo: z.string().nullable(),
    topSuppliers: z.array(z.object({ name: z.string(), orderCount: z.number().int(), orderedValue: money })), currency,
  }),
);
