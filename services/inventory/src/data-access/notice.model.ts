import { outboxPlugin } from '@pitlane/events';
import { Schema } from 'mongoose';

/** Carries an event that belongs to no item (a reservation for an item that does not exist in the
 * garage). Keyed by the consumed event id + line, so a redelivery inserts nothing and publishes nothing. */
export const noticeSchema = new Schema(
  {
    _id: { type: String, required: true },
    garageId: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'notices', versionKey: false },
);
noticeSchema.plugin(outboxPlugin);
