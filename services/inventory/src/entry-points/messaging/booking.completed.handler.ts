import type { EventData } from '@pitlane/contracts';
import type { EventEnvelope, HandlerOutcome } from '@pitlane/events';

import type { InventoryContext } from '../../service';
import { bookingEnd } from './booking-end';

/** The work is done: the parts reserved for the booking leave the shelf (consumed movements).
 * Lines that were backordered were never reserved here, so there is nothing to consume for them. */
export function bookingCompletedHandler(ctx: InventoryContext) {
  return async (event: EventEnvelope<EventData<'booking.completed'>>): Promise<HandlerOutcome> => {
    if (!event.garageId) return 'handled';
    return ctx.settleBooking(bookingEnd({ ...event, garageId: event.garageId }, event.data.booking.bookingId, 'consume'));
  };
}
