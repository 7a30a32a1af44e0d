import { isDuplicateKeyError } from '@pitlane/mongo';

import type { InventoryItemDoc } from './inventory-item.model';
import type { Models } from './models';

export type ItemSnapshot = Pick<InventoryItemDoc, 'itemId' | 'sku' | 'name' | 'unitPrice' | 'currency' | 'quantityAvailable' | 'taxRate'>;

/** The local read model of inventory's items (garageId|itemId). */
export class InventoryItemRepository {
  constructor(private readonly models: Pick<Models, 'InventoryItem'>) {}

  find(garageId: string, itemId: string): Promise<InventoryItemDoc | null> {
    return this.models.InventoryItem.findById(`${garageId}|${itemId}`).lean<InventoryItemDoc>().exec();
  }

  /** Writes the snapshot only when it is newer than the stored one; false when it was not (a
   * redelivery or an older event finds no match, tries to insert the same _id and gets 11000). */
  async saveIfNewer(garageId: string, item: ItemSnapshot, occurredAt: string): Promise<boolean> {
    try {
      await this.models.InventoryItem.updateOne(
        { _id: `${garageId}|${item.itemId}`, sourceOccurredAt: { $lt: occurredAt } },
        { $set: { garageId, ...item, sourceOccurredAt: occurredAt } },
        { upsert: true },
      );
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }
}
