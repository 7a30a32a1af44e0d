import { errors, openApiRegistry } from '@pitlane/core';
import { z } from 'zod';

import { barcodeProblem } from '../../domain/barcode';
import { adjustReasons } from '../../domain/stock';

const minorUnits = z.number().int('must be a whole number of minor units').min(0, 'must not be negative').max(1_000_000_000);
/** basis points: 2000 = 20 %; null = the garage's default parts rate */
const taxRate = z.number().int('must be a whole number of basis points').min(0, 'must not be negative').max(10_000, 'must be at most 10000 (100 %)');
const count = z.number().int('must be a whole number').min(0, 'must not be negative').max(1_000_000);
const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

export const createItemSchema = openApiRegistry.register(
  'CreateInventoryItem',
  z.strictObject({
    sku: text(64),
    name: text(200),
    unitPrice: minorUnits,
    category: text(100).nullable().optional(),
    barcode: z.string().nullable().optional(),
    unit: text(20).optional(),
    quantityOnHand: count.optional(),
    reorderLevel: count.optional(),
    unitCost: minorUnits.optional(),
    location: text(100).nullable().optional(),
    taxRate: taxRate.nullable().optional(),
  }),
);

export const patchItemSchema = openApiRegistry.register(
  'PatchInventoryItem',
  z.strictObject({
    sku: text(64).optional(),
    name: text(200).optional(),
    unitPrice: minorUnits.optional(),
    category: text(100).nullable().optional(),
    barcode: z.string().nullable().optional(),
    unit: text(20).optional(),
    reorderLevel: count.optional(),
    location: text(100).nullable().optional(),
    taxRate: taxRate.nullable().optional(),
  }),
);

const INCREASES = new Set(['received', 'returned']);
const DECREASES = new Set(['sold', 'damaged']);

export const adjustSchema = openApiRegistry.register(
  'AdjustInventoryItem',
  z
    .strictObject({
      delta: z.number().int('must be a whole number').min(-1_000_000).max(1_000_000).refine((d) => d !== 0, 'must not be 0'),
      reason: z.enum(adjustReasons),
      unitCost: minorUnits.optional(),
      note: z.string().trim().max(500).optional(),
    })
    .superRefine((body, ctx) => {
      if (INCREASES.has(body.reason) && body.delta < 0) ctx.addIssue({ code: 'custom', path: ['delta'], message: `must be positive for ${body.reason}` });
      if (DECREASES.has(body.reason) && body.delta > 0) ctx.addIssue({ code: 'custom', path: ['delta'], message: `must be negative for ${body.reason}` });
      if (body.unitCost !== undefined && body.reason !== 'received') {
        ctx.addIssue({ code: 'custom', path: ['unitCost'], message: 'is only accepted with reason received' });
      }
    }),
);

export const itemQuerySchema = z.object({
  category: text(100).optional(),
  q: z.string().trim().max(100).optional(),
  lowStock: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
});

export const movementQuerySchema = z.object({
  reason: z.string().max(40).optional(),
});

/** Unprintable or over-long codes are 400 INVALID_BARCODE (API.md), on writes and on lookups. */
export function checkBarcode(code: unknown, field = 'barcode'): void {
  if (typeof code !== 'string') return;
  const problem = barcodeProblem(code);
  if (problem) throw errors.validation('The barcode is invalid.', [{ field, message: problem }], 'INVALID_BARCODE');
}
