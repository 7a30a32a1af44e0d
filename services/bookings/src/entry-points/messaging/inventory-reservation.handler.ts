import type { EventData } from '@pitlane/contracts';
import type { EventHandler } from '@pitlane/events';

import { setPartStatus } from '../../data-access/consumers';
import type { Models } from '../../data-access/models';

/** inventory.reserved: the part line is `reserved`. */
export const inventoryReservedHandler =
  (models: Models): EventHandler<EventData<'inventory.reserved'>> =>
  (event) =>
    setPartStatus(models, event, 'reserved');

/** inventory.reservation_failed: the part line is `backordered`. */
export const inventoryReservationFailedHandler =
  (models: Models): EventHandler<EventData<'inventory.reservation_failed'>> =>
  (event) =>
    setPartStatus(models, event, 'backordered');
