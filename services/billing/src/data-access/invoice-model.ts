import { outboxPlugin } from '@pitlane/events';
import { Schema } from 'mongoose';

import type { InvoiceStatus, PaymentMethod, PricedLine } from '../domain/invoice';

/** A stored line is the priced line of the domain (amounts computed once, by domain/money.ts). */
export type InvoiceLine = PricedLine;

export interface PaymentEntry {
  id: string;
  amount: number;
  method: PaymentMethod;
  reference: string | null;
  paidAt: Date;
  /** paidAt as a date in the garage's time zone, for GET /payments?dateFrom&dateTo */
  paidOn: string;
  idempotencyKey: string | null;
  createdAt: Date;
}

export interface InvoiceDoc {
  _id: string;
  garageId: string;
  organisationId: string;
  number: string;
  year: number;
  seq: number;
  bookingId: string;
  bookingNumber: string;
  customerId: string;
  customer: { firstName: string; lastName: string; email: string | null; phone: string | null };
  vehicleId: string;
  vehicle: { make: string; model: string; year: number | null; registration: string | null; vin: string | null };
  technician: { id: string; name: string } | null;
  currency: string;
  issueDate: string;
  completedAt: Date;
  lines: InvoiceLine[];
  subtotal: number;
  discountTotal: number;
  taxTotal: number;
  total: number;
  amountPaid: number;
  /** total − amountPaid, stored so a payment can be a guarded single-document update */
  balance: number;
  status: InvoiceStatus;
  payments: PaymentEntry[];
  paidAt: Date | null;
  voidedAt: Date | null;
  voidReason: string | null;
  createdAt: Date;
  updatedAt: Date;
}

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
