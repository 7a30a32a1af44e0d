import type { EventData } from '@pitlane/contracts';
import type { EventEnvelope, HandlerOutcome } from '@pitlane/events';

import type { ItemWriter } from '../../data-access/item-writer';
import type { Models } from '../../data-access/models';
import { settleBooking } from './booking-settlement';

type BookingEnded = EventData<'booking.cancelled'> | EventData<'booking.deleted'>;

/** booking.cancelled and booking.deleted: whatever is still reserved for the booking goes back to available. */
export function bookingReleasedHandler(models: Models, writer: ItemWriter) {
  return async (event: EventEnvelope<BookingEnded>): Promise<HandlerOutcome> => {
    if (!event.garageId) return 'handled';
    return settleBooking(models, writer, event.garageId, event.data.booking.bookingId, 'release', { type: 'event', id: event.id });
  };
}

/** booking.status_changed: a no-show ends the booking without a booking.cancelled, so its parts go back too. */
export function bookingNoShowHandler(models: Models, writer: ItemWriter) {
  return async (event: EventEnvelope<EventData<'booking.status_changed'>>): Promise<HandlerOutcome> => {
    if (!event.garageId || event.data.to !== 'no_show') return 'handled';
    return settleBooking(models, writer, event.garageId, event.data.booking.bookingId, 'release', { type: 'event', id: event.id });
  };
}
