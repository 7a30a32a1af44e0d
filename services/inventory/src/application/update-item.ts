import { errors } from '@pitlane/core';

import type { ItemDocument } from '../data-access/item.model';
import { barcodeFields, skuKey } from '../data-access/item.repository';
import { planEdit } from './item-plans';
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
  taxRate?: number | null;
}

/** PATCH of descriptive fields, price or reorder level (quantities and cost change only through the
 * ledger): one compare-and-set, which may cross the low-stock line. */
export function updateItemUseCase({ writer }: { writer: Pick<ItemWriter, 'write'> }) {
  return async function updateItem(garageId: string, id: string, patch: ItemPatch): Promise<ItemDocument> {
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
  };
}
