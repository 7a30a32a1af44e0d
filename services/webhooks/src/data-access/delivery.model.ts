import { randomUUID } from 'node:crypto';

import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';

const attemptSchema = new Schema(
  {
    at: { type: Date, required: true },
    /** HTTP status of the answer; null when no answer came */
    status: { type: Number, default: null },
    durationMs: { type: Number, required: true },
    /** timeout, dns, connection_refused, connection_reset, tls, forbidden_address, network, http_error */
    error: { type: String, default: null },
    errorMessage: { type: String, default: null },
    responseBody: { type: String, default: null },
  },
  { _id: false },
);

/** One event for one subscription. `key` makes fan-out idempotent; `nextAttemptAt` + the lease
 * make retries durable and exclusive (see README "Retry design"). */
const deliverySchema = new Schema(
  {
    _id: { type: String, default: () => randomUUID() },
    key: { type: String, required: true, unique: true },
    garageId: { type: String, required: true },
    organisationId: { type: String, required: true },
    webhookId: { type: String, required: true },
    eventId: { type: String, required: true },
    eventType: { type: String, required: true },
    /** the exact JSON body sent on every attempt */
    body: { type: String, required: true },
    status: { type: String, enum: ['pending', 'succeeded', 'failed'], default: 'pending' },
    nextAttemptAt: { type: Date, default: null },
    scheduleIndex: { type: Number, default: 0 },
    /** a manual retry or recover gets one attempt, not a new schedule */
    manual: { type: Boolean, default: false },
    attemptCount: { type: Number, default: 0 },
    attempts: { type: [attemptSchema], default: [] },
    failureReason: { type: String, default: null },
    /** the subscription's epoch when this delivery was made (or last retried/recovered by hand) */
    webhookEpoch: { type: Number, default: 0 },
    leaseUntil: { type: Date, default: null },
    leaseOwner: { type: String, default: null },
  },
  { timestamps: true, versionKey: false },
);
deliverySchema.index({ status: 1, nextAttemptAt: 1 });
deliverySchema.index({ garageId: 1, webhookId: 1, createdAt: -1 });

export type DeliveryDoc = InferSchemaType<typeof deliverySchema> & { _id: string };
export type AttemptDoc = InferSchemaType<typeof attemptSchema>;

export function registerDeliveryModel(connection: Connection): Model<DeliveryDoc> {
  return connection.model<DeliveryDoc>('Delivery', deliverySchema, 'deliveries');
}
