import type { EventData } from '@pitlane/contracts';
import type { EventEnvelope, HandlerOutcome } from '@pitlane/events';

import type { InventoryContext } from '../../service';

/** The work is done: the parts reserved for the booking leave the shelf (consumed movements).
 * Lines that were backordered were never reserved here, so there is nothing to consume for them. */
export function bookingCompletedHandler(ctx: InventoryContext) {
  return async (event: EventEnvelope<EventData<'booking.completed'>>): Promise<HandlerOutcome> => {
    if (!event.garageId) return 'handled';
    const actor = { type: 'event', id: event.id } as const;
    return ctx.settleBooking({ garageId: event.garageId, bookingId: event.data.booking.bookingId, action: 'consume', actor });
  };
}
