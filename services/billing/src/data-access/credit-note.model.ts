import { outboxPlugin } from '@pitlane/events';
import { Schema } from 'mongoose';

import type { CreditNote } from '../domain/credit-note';

export type CreditNoteDoc = CreditNote;

export const creditNoteSchema = new Schema<CreditNoteDoc>(
  {
    // the id of the reservation on the invoice: completing a reservation twice ends on this key
    _id: String,
    garageId: { type: String, required: true },
    organisationId: { type: String, required: true },
    number: { type: String, required: true },
    year: { type: Number, required: true },
    seq: { type: Number, required: true },
    invoiceId: { type: String, required: true },
    invoiceNumber: { type: String, required: true },
    customerId: { type: String, required: true },
    customer: Schema.Types.Mixed,
    currency: { type: String, required: true },
    reason: { type: String, required: true },
    issueDate: { type: String, required: true },
    lines: [Schema.Types.Mixed],
    netTotal: Number,
    taxTotal: Number,
    total: Number,
    createdAt: Date,
  },
  { timestamps: { createdAt: false, updatedAt: true }, versionKey: false },
);
creditNoteSchema.plugin(outboxPlugin);
// gap-free numbering relies on this one (see numbering.ts)
creditNoteSchema.index({ garageId: 1, number: 1 }, { unique: true });
creditNoteSchema.index({ garageId: 1, invoiceId: 1 });
