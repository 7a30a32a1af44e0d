import { outboxPlugin } from '@pitlane/events';
import { Schema } from 'mongoose';

import type { EstimateStatus } from '../domain/estimate';
import type { InvoiceLine } from './invoice-model';

export interface EstimateDoc {
  _id: string;
  garageId: string;
  organisationId: string;
  number: string;
  seq: number;
  customerId: string;
  vehicleId: string | null;
  bookingId: string | null;
  currency: string;
  lines: InvoiceLine[];
  subtotal: number;
  discountTotal: number;
  taxTotal: number;
  total: number;
  validUntil: string | null;
  /** the garage's time zone when the estimate was made: validUntil is a date there */
  timezone: string;
  notes: string | null;
  status: EstimateStatus;
  /** bumped by every change made by the garage: the compare-and-set guard of PATCH and send */
  revision: number;
  /** SHA-256 (hex) of the approval token; the token itself is only ever in the link sent out */
  approvalTokenHash?: string;
  sentAt: Date | null;
  expiresAt: Date | null;
  answeredAt: Date | null;
  rejectionReason: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export const estimateSchema = new Schema<EstimateDoc>(
  {
    _id: String,
    garageId: { type: String, required: true },
    organisationId: { type: String, required: true },
    number: { type: String, required: true },
    seq: { type: Number, required: true },
    customerId: { type: String, required: true },
    vehicleId: { type: String, default: null },
    bookingId: { type: String, default: null },
    currency: { type: String, required: true },
    lines: [Schema.Types.Mixed],
    subtotal: Number,
    discountTotal: Number,
    taxTotal: Number,
    total: Number,
    validUntil: { type: String, default: null },
    timezone: { type: String, required: true },
    notes: { type: String, default: null },
    status: { type: String, required: true },
    revision: { type: Number, required: true, default: 0 },
    approvalTokenHash: { type: String, select: false },
    sentAt: { type: Date, default: null },
    expiresAt: { type: Date, default: null },
    answeredAt: { type: Date, default: null },
    rejectionReason: { type: String, default: null },
  },
  { timestamps: true, versionKey: false },
);
estimateSchema.plugin(outboxPlugin);
estimateSchema.index({ garageId: 1, number: 1 }, { unique: true });
// sparse, not partial: the stand-in ignores partialFilterExpression (docs/developing.md)
estimateSchema.index({ approvalTokenHash: 1 }, { unique: true, sparse: true });
