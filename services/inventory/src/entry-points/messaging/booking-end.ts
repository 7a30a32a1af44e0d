import { sequenceOf, type EventEnvelope } from '@pitlane/events';

import type { BookingEnded } from '../../application/settle-booking';

/** The end of a booking as one of its events tells it, with the event's per-booking sequence number. */
export function bookingEnd(event: EventEnvelope<unknown> & { garageId: string }, bookingId: string, action: BookingEnded['action']): BookingEnded {
  return { garageId: event.garageId, bookingId, action, eventId: event.id, eventType: event.type, seq: sequenceOf(event, 'booking') };
}
