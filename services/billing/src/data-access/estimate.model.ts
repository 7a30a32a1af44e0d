import { outboxPlugin } from '@pitlane/events';
import { Schema } from 'mongoose';

import type { Estimate } from '../domain/estimate';
import type { EstimateMail } from '../domain/estimate-mail';

/** The stored estimate: the domain's Estimate, plus the hash of its approval token, which only
 * data-access reads (SHA-256 hex; the token itself is only ever in the link sent out). */
export interface EstimateDoc extends Estimate {
  approvalTokenHash?: string;
  /** the rendered e-mail of a queued delivery: it holds the approval link, so it is only read by the
   * sender and removed once the server took it */
  deliveryMessage?: EstimateMail;
  /** a sender holds the delivery until then (request or worker: one at a time) */
  deliveryLeaseUntil?: Date | null;
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
    delivery: { type: Schema.Types.Mixed, default: null },
    sends: [Schema.Types.Mixed],
    deliveryMessage: { type: Schema.Types.Mixed, select: false },
    deliveryLeaseUntil: { type: Date, default: null },
  },
  { timestamps: true, versionKey: false },
);
estimateSchema.plugin(outboxPlugin);
estimateSchema.index({ garageId: 1, number: 1 }, { unique: true });
// sparse, not partial: the stand-in ignores partialFilterExpression (docs/developing.md)
estimateSchema.index({ approvalTokenHash: 1 }, { unique: true, sparse: true });
estimateSchema.index({ 'delivery.status': 1 });
