import { outboxPlugin } from '@pitlane/events';
import { Schema, type Connection, type InferSchemaType } from 'mongoose';

import { newId } from './ids';

const customerSchema = new Schema(
  {
    _id: { type: String, default: () => newId('cus') },
    garageId: { type: String, required: true },
    organisationId: { type: String, required: true },
    firstName: { type: String, required: true },
    lastName: { type: String, required: true },
    /** "first last", so a search for a full name matches */
    fullName: { type: String, required: true },
    email: { type: String, default: null },
    phone: { type: String, default: null },
    /** the phone's digits only, so "020 7946-0000" finds "+44 20 7946 0000" by its digits */
    phoneDigits: { type: String, default: null },
    /** structured (domain/address.ts); documents from before it hold a string, read as line1 */
    address: { type: Schema.Types.Mixed, default: null },
    notes: { type: String, default: null },
    /** sum of paid invoices (invoice.paid), in the garage currency's minor unit */
    lifetimeSpend: { type: Number, default: 0 },
    processedEventIds: { type: [String], default: [], select: false },
  },
  { timestamps: true, versionKey: false },
);
// the default list order and its cursor walk (newest first, id breaking ties): served in order, no sort
customerSchema.index({ garageId: 1, createdAt: -1, _id: -1 });
customerSchema.plugin(outboxPlugin);

export type CustomerDoc = InferSchemaType<typeof customerSchema> & { _id: string; createdAt: Date; updatedAt: Date };

export function registerCustomerModel(connection: Connection) {
  return connection.model('Customer', customerSchema, 'customers');
}
