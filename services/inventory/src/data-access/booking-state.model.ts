import { Schema } from 'mongoose';

/**
 * What inventory knows of a booking's end, from its own events: the booking was completed (consume)
 * or cancelled / deleted / no-show (release). Recorded BEFORE the booking's lines are settled and
 * never changed afterwards (bookings' status machine ends a booking once: completed, cancelled and
 * no-show are final, and only pending/confirmed bookings can be deleted), so it is the terminal state
 * every later or earlier event of the booking is reconciled against, whatever order they arrive in.
 * `_id` = garageId:bookingId (looked up by exactly `{_id}`; the garage keeps it tenant-scoped).
 */
export const bookingStateSchema = new Schema(
  {
    _id: { type: String, required: true },
    garageId: { type: String, required: true },
    bookingId: { type: String, required: true },
    settlement: { type: String, enum: ['consume', 'release'], required: true },
    /** the ending event: its id (actor of the settling movements) and its per-booking sequence number */
    eventId: { type: String, required: true },
    eventType: { type: String, required: true },
    seq: { type: Number, default: null },
    settledAt: { type: Date, required: true },
  },
  { collection: 'booking_states', versionKey: false },
);

export type Settlement = 'consume' | 'release';

export interface BookingState {
  _id: string;
  garageId: string;
  bookingId: string;
  settlement: Settlement;
  eventId: string;
  eventType: string;
  seq: number | null;
  settledAt: Date;
}
