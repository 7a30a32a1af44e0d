import { outboxPlugin } from '@pitlane/events';
import { Schema } from 'mongoose';

import type { Invoice } from '../domain/invoice';

/** The stored invoice is the domain's Invoice (lines priced once by domain/money.ts, payments inside). */
export type InvoiceDoc = Invoice;

export const invoiceSchema = new Schema<InvoiceDoc>(
  {
    _id: String,
    garageId: { type: String, required: true },
    organisationId: { type: String, required: true },
    number: { type: String, required: true },
    year: { type: Number, required: true },
    seq: { type: Number, required: true },
    bookingId: { type: String, required: true },
    bookingNumber: String,
    customerId: { type: String, required: true },
    customer: Schema.Types.Mixed,
    vehicleId: String,
    vehicle: Schema.Types.Mixed,
    technician: { type: Schema.Types.Mixed, default: null },
    currency: { type: String, required: true },
    issueDate: { type: String, required: true },
    completedAt: Date,
    lines: [Schema.Types.Mixed],
    subtotal: Number,
    discountTotal: Number,
    taxTotal: Number,
    total: Number,
    amountPaid: Number,
    balance: Number,
    status: { type: String, required: true },
    payments: [Schema.Types.Mixed],
    paidAt: { type: Date, default: null },
    voidedAt: { type: Date, default: null },
    voidReason: { type: String, default: null },
  },
  { timestamps: true, versionKey: false },
);
invoiceSchema.plugin(outboxPlugin);
// gap-free numbering relies on this one (see numbering.ts)…
invoiceSchema.index({ garageId: 1, number: 1 }, { unique: true });
// …and "one invoice per completed booking" on this one, whoever consumes the event
invoiceSchema.index({ garageId: 1, bookingId: 1 }, { unique: true });
invoiceSchema.index({ garageId: 1, issueDate: -1 });
