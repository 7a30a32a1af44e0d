import type { EventData } from '@pitlane/contracts';
import type { EventHandler } from '@pitlane/events';

import type { BookingsContext } from '../../service';

/** inventory.adjusted: the newest snapshot (price, availability) replaces the stored one; an older
 * one (late delivery) changes nothing. */
export const inventoryAdjustedHandler =
  (ctx: BookingsContext): EventHandler<EventData<'inventory.adjusted'>> =>
  async (event) => {
    if (!event.garageId) return 'duplicate';
    const { item } = event.data;
    const snapshot = { itemId: item.id, sku: item.sku, name: item.name, unitPrice: item.unitPrice, currency: item.currency, quantityAvailable: item.quantityAvailable, taxRate: item.taxRate ?? null };
    return (await ctx.parts.recordItem(event.garageId, snapshot, event.occurredAt)) ? 'handled' : 'duplicate';
  };
