import type { EventData } from '@pitlane/contracts';
import type { EventEnvelope, HandlerOutcome } from '@pitlane/events';

import type { ItemWriter } from '../../data-access/item-writer';
import type { Models } from '../../data-access/models';
import { settleBooking } from './booking-settlement';

/** The work is done: the parts reserved for the booking leave the shelf (consumed movements).
 * Lines that were backordered were never reserved here, so there is nothing to consume for them. */
export function bookingCompletedHandler(models: Models, writer: ItemWriter) {
  return async (event: EventEnvelope<EventData<'booking.completed'>>): Promise<HandlerOutcome> => {
    if (!event.garageId) return 'handled';
    return settleBooking(models, writer, event.garageId, event.data.booking.bookingId, 'consume', { type: 'event', id: event.id });
  };
}
