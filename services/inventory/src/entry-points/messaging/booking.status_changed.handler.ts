import type { EventData } from '@pitlane/contracts';
import type { EventEnvelope, HandlerOutcome } from '@pitlane/events';

import type { InventoryContext } from '../../service';

/** A no-show ends the booking without a booking.cancelled, so its parts go back too; other status changes keep them. */
export function bookingStatusChangedHandler(ctx: InventoryContext) {
  return async (event: EventEnvelope<EventData<'booking.status_changed'>>): Promise<HandlerOutcome> => {
    if (!event.garageId || event.data.to !== 'no_show') return 'handled';
    const actor = { type: 'event', id: event.id } as const;
    return ctx.settleBooking({ garageId: event.garageId, bookingId: event.data.booking.bookingId, action: 'release', actor });
  };
}
