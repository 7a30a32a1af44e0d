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

export type WebhookDoc = InferSchemaType<typeof webhookSchema> & { _id: string };

export function registerWebhookModel(connection: Connection): Model<WebhookDoc> {
  return connection.model<WebhookDoc>('Webhook', webhookSchema, 'webhooks');
}
