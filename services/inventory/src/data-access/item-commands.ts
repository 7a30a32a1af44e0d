import { errors } from '@pitlane/core';

import { InsufficientStock, type Actor, type AdjustReason } from '../domain/stock';
import type { ItemDocument } from './item.model';
import { planEdit, planStockChange } from './item-plans';
import { barcodeFields, skuKey } from './item-repository';
import type { ItemWriter } from './item-writer';

export interface ItemPatch {
  sku?: string;
  name?: string;
  category?: string | null;
  barcode?: string | null;
  unit?: string;
  unitPrice?: number;
  reorderLevel?: number;
  location?: string | null;
}

export interface Adjustment {
  delta: number;
  reason: AdjustReason;
  unitCost?: number;
  note?: string;
}

export function insufficientStock(error: InsufficientStock) {
  return errors.conflict('INSUFFICIENT_STOCK', error.message, {
    quantityAvailable: error.quantityAvailable,
    requested: error.requested,
  });
}

export async function updateItem(writer: ItemWriter, garageId: string, id: string, patch: ItemPatch): Promise<ItemDocument> {
  const result = await writer.write(garageId, id, (item) => {
    const { barcode, sku, ...plain } = patch;
    const set: Record<string, unknown> = { ...plain };
    let unset: Record<string, ''> = {};
    if (sku !== undefined) Object.assign(set, { sku, skuKey: skuKey(garageId, sku) });
    if (barcode !== undefined) {
      const fields = barcodeFields(garageId, barcode);
      Object.assign(set, fields.set);
      unset = fields.unset;
    }
    if (Object.keys(set).length === 0) return null;
    return { ...planEdit(item, set), unset };
  });
  if (!result) throw errors.notFound('Item');
  return result.item;
}

export async function adjustItem(writer: ItemWriter, garageId: string, id: string, input: Adjustment, actor: Actor) {
  try {
    const result = await writer.write(garageId, id, (item) =>
      planStockChange(
        item,
        { kind: 'adjust', delta: input.delta, reason: input.reason, ...(input.unitCost !== undefined ? { unitCost: input.unitCost } : {}) },
        { actor, note: input.note ?? null },
      ),
    );
    if (!result) throw errors.notFound('Item');
    return result;
  } catch (error) {
    if (error instanceof InsufficientStock) throw insufficientStock(error);
    throw error;
  }
}
