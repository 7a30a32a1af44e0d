import type { EventData } from '@pitlane/contracts';
import type { EventEnvelope, HandlerOutcome } from '@pitlane/events';

import type { InventoryContext } from '../../service';
import { bookingEnd } from './booking-end';

/** A no-show ends the booking without a booking.cancelled, so its parts go back too; other status changes keep them. */
export function bookingStatusChangedHandler(ctx: InventoryContext) {
  return async (event: EventEnvelope<EventData<'booking.status_changed'>>): Promise<HandlerOutcome> => {
    if (!event.garageId || event.data.to !== 'no_show') return 'handled';
    return ctx.settleBooking(bookingEnd({ ...event, garageId: event.garageId }, event.data.booking.bookingId, 'release'));
  };
}
