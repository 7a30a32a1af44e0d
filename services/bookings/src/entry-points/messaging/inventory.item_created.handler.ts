import type { EventData } from '@pitlane/contracts';
import type { EventHandler } from '@pitlane/events';

import type { BookingsContext } from '../../service';

/** inventory.item_created: the item enters the local read model used to price part lines. */
export const inventoryItemCreatedHandler =
  (ctx: BookingsContext): EventHandler<EventData<'inventory.item_created'>> =>
  async (event) => {
    if (!event.garageId) return 'duplicate';
    const { item } = event.data;
    const snapshot = { itemId: item.id, sku: item.sku, name: item.name, unitPrice: item.unitPrice, currency: item.currency, quantityAvailable: item.quantityAvailable, taxRate: item.taxRate ?? null };
    return (await ctx.parts.recordItem(event.garageId, snapshot, event.occurredAt)) ? 'handled' : 'duplicate';
  };
