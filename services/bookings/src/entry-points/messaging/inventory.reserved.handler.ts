import type { EventData } from '@pitlane/contracts';
import type { EventHandler } from '@pitlane/events';

import type { BookingsContext } from '../../service';

/** inventory.reserved: the part line is `reserved`. */
export const inventoryReservedHandler =
  (ctx: BookingsContext): EventHandler<EventData<'inventory.reserved'>> =>
  async (event) =>
    (await ctx.parts.markReservation(event.garageId, event.data.bookingId, event.data.lineId, 'reserved')) ? 'handled' : 'duplicate';
