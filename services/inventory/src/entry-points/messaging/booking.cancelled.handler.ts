import type { EventData } from '@pitlane/contracts';
import type { EventEnvelope, HandlerOutcome } from '@pitlane/events';

import type { InventoryContext } from '../../service';
import { bookingEnd } from './booking-end';

/** Whatever is still reserved for a cancelled booking goes back to available. */
export function bookingCancelledHandler(ctx: InventoryContext) {
  return async (event: EventEnvelope<EventData<'booking.cancelled'>>): Promise<HandlerOutcome> => {
    if (!event.garageId) return 'handled';
    return ctx.settleBooking(bookingEnd({ ...event, garageId: event.garageId }, event.data.booking.bookingId, 'release'));
  };
}
