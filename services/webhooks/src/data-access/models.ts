import { randomUUID } from 'node:crypto';

import { outboxPlugin } from '@pitlane/events';
import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';

/** A garage's endpoint subscription. The secrets sign deliveries, so they are stored (not hashed)
 * and never returned after creation/rotation. The failure counters drive auto-disable. */
const webhookSchema = new Schema(
  {
    _id: { type: String, default: () => randomUUID() },
    garageId: { type: String, required: true },
    organisationId: { type: String, required: true },
    url: { type: String, required: true },
    events: { type: [String], required: true },
    description: { type: String, default: null },
    status: { type: String, enum: ['active', 'disabled'], default: 'active' },
    disabledReason: { type: String, default: null },
    disabledAt: { type: Date, default: null },
    /** deliveries per second, enforced by the workers; null = unlimited */
    rateLimit: { type: Number, default: null },
    /** rate limit across instances: the next free send slot (epoch ms), reserved with $max + $inc */
    nextSendAt: { type: Number, default: 0 },
    secret: { type: String, required: true, select: false },
    previousSecret: { type: String, default: null, select: false },
    previousSecretExpiresAt: { type: Date, default: null },
    /** first failed attempt since the last success; null while healthy */
    failingSince: { type: Date, default: null },
    consecutiveFailures: { type: Number, default: 0 },
    lastSuccessAt: { type: Date, default: null },
    /** incremented by every disable (PATCH or auto): a delivery made for an earlier epoch is never
     * sent automatically, even after re-enabling (see README "Deleted and disabled endpoints") */
    epoch: { type: Number, default: 0 },
  },
  { timestamps: true, versionKey: false },
);
webhookSchema.plugin(outboxPlugin);
webhookSchema.index({ garageId: 1, status: 1 });

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

export type WebhookDoc = InferSchemaType<typeof webhookSchema> & { _id: string };
export type DeliveryDoc = InferSchemaType<typeof deliverySchema> & { _id: string };
export type AttemptDoc = InferSchemaType<typeof attemptSchema>;

export interface Models {
  Webhook: Model<WebhookDoc>;
  Delivery: Model<DeliveryDoc>;
}

export function registerModels(connection: Connection): Models {
  return {
    Webhook: connection.model<WebhookDoc>('Webhook', webhookSchema, 'webhooks'),
    Delivery: connection.model<DeliveryDoc>('Delivery', deliverySchema, 'deliveries'),
  };
}
