import type { EventData } from '@pitlane/contracts';
import type { EventEnvelope, HandlerOutcome } from '@pitlane/events';

import type { InventoryContext } from '../../service';

/** Whatever is still reserved for a cancelled booking goes back to available. */
export function bookingCancelledHandler(ctx: InventoryContext) {
  return async (event: EventEnvelope<EventData<'booking.cancelled'>>): Promise<HandlerOutcome> => {
    if (!event.garageId) return 'handled';
    const actor = { type: 'event', id: event.id } as const;
    return ctx.settleBooking({ garageId: event.garageId, bookingId: event.data.booking.bookingId, action: 'release', actor });
  };
}
