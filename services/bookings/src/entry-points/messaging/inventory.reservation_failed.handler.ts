import type { EventData } from '@pitlane/contracts';
import type { EventHandler } from '@pitlane/events';

import type { BookingsContext } from '../../service';

/** inventory.reservation_failed: the part line is `backordered`. */
export const inventoryReservationFailedHandler =
  (ctx: BookingsContext): EventHandler<EventData<'inventory.reservation_failed'>> =>
  async (event) =>
    (await ctx.parts.markReservation(event.garageId, event.data.bookingId, event.data.lineId, 'backordered')) ? 'handled' : 'duplicate';
