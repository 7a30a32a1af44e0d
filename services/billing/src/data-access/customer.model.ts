import { Schema } from 'mongoose';

/** Billing's own copies of the bookings service's customers and vehicles, kept from events, so an
 * estimate can be checked and printed without calling another service. `_id` = garageId:id. */
export interface CustomerDoc {
  _id: string;
  garageId: string;
  customerId: string;
  firstName: string;
  lastName: string;
  email: string | null;
  phone: string | null;
  /** occurredAt of the event this copy comes from: an older event never overwrites a newer copy */
  sourceAt: Date;
}

export const customerSchema = new Schema<CustomerDoc>(
  {
    _id: String,
    garageId: { type: String, required: true },
    customerId: { type: String, required: true },
    firstName: String,
    lastName: String,
    email: { type: String, default: null },
    phone: { type: String, default: null },
    sourceAt: { type: Date, required: true },
  },
  { versionKey: false },
);
