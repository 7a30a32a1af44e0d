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
    source: { type: String, default: 'booking' },
    // also the source key of a manual invoice (`manual:<key>`, see invoice.repository), so the unique
    // (garageId, bookingId) index keeps meaning "one invoice per source"
    bookingId: { type: String, required: true },
    bookingNumber: { type: String, default: null },
    customerId: { type: String, required: true },
    customer: Schema.Types.Mixed,
    vehicleId: { type: String, default: null },
    vehicle: Schema.Types.Mixed,
    technician: { type: Schema.Types.Mixed, default: null },
    currency: { type: String, required: true },
    issueDate: { type: String, required: true },
    completedAt: { type: Date, default: null },
    notes: { type: String, default: null },
    lines: [Schema.Types.Mixed],
    subtotal: Number,
    discountTotal: Number,
    taxTotal: Number,
    total: Number,
    amountPaid: Number,
    balance: Number,
    status: { type: String, required: true },
    payments: [Schema.Types.Mixed],
    amountRefunded: { type: Number, default: 0 },
    refunds: [Schema.Types.Mixed],
    creditedTotal: { type: Number, default: 0 },
    creditedLines: [Schema.Types.Mixed],
    creditNotes: [Schema.Types.Mixed],
    pendingCredits: [Schema.Types.Mixed],
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
// the roll-forward sweep looks for credit notes decided but not yet numbered
invoiceSchema.index({ 'pendingCredits.id': 1 });
