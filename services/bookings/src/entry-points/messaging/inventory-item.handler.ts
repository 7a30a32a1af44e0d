import type { EventData } from '@pitlane/contracts';
import type { EventHandler } from '@pitlane/events';

import { upsertInventoryItem } from '../../data-access/consumers';
import type { Models } from '../../data-access/models';

/** inventory.item_created: the item enters the local read model used to price part lines. */
export const inventoryItemCreatedHandler =
  (models: Models): EventHandler<EventData<'inventory.item_created'>> =>
  (event) =>
    upsertInventoryItem(models, event);

/** inventory.adjusted: the newest snapshot (price, availability) replaces the stored one. */
export const inventoryAdjustedHandler =
  (models: Models): EventHandler<EventData<'inventory.adjusted'>> =>
  (event) =>
    upsertInventoryItem(models, event);
