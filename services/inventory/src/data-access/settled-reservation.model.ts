import { Schema } from 'mongoose';

import type { SettledStatus } from '../domain/reservations';

/**
 * The long-term memory of a booking line that held (or was refused) stock of an item and is settled:
 * consumed (booking completed), released (cancelled / deleted / no-show) or dropped (backordered line
 * of an ended booking). Moved out of the item so the item does not grow with every booking ever made.
 * `_id` = garageId:itemId:bookingId:lineId — unique, and looked up by exactly `{_id}` (the stand-in uses
 * the _id index only for that filter); the garage is part of the key, so lookups stay tenant-scoped.
 * Written BEFORE the item write that removes the entry from the item; the first decision recorded wins.
 */
export const settledReservationSchema = new Schema(
  {
    _id: { type: String, required: true },
    garageId: { type: String, required: true },
    itemId: { type: String, required: true },
    bookingId: { type: String, required: true },
    lineId: { type: String, required: true },
    quantity: { type: Number, required: true },
    status: { type: String, enum: ['consumed', 'released', 'dropped'], required: true },
    /** the event that settled it */
    eventId: { type: String, required: true },
    settledAt: { type: Date, required: true },
  },
  { collection: 'settled_reservations', versionKey: false },
);

export interface SettledReservation {
  _id: string;
  garageId: string;
  itemId: string;
  bookingId: string;
  lineId: string;
  quantity: number;
  status: SettledStatus;
  eventId: string;
  settledAt: Date;
}
