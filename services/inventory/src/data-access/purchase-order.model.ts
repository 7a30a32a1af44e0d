import { randomUUID } from 'node:crypto';

import { outboxPlugin } from '@pitlane/events';
import { Schema, type InferSchemaType } from 'mongoose';

const lineSchema = new Schema(
  {
    itemId: { type: String, required: true },
    sku: { type: String, required: true },
    name: { type: String, required: true },
    quantity: { type: Number, required: true },
    unitCost: { type: Number, required: true },
    quantityReceived: { type: Number, required: true, default: 0 },
  },
  { _id: false },
);

/** A receipt is recorded on the order first (refusing over-receipt there), then applied to each
 * item; `applied` turns true once every line is in stock, so an interrupted receipt is resumed. */
const receiptSchema = new Schema(
  {
    id: { type: String, required: true },
    lines: [{ _id: false, itemId: String, quantity: Number, unitCost: Number }],
    actor: { type: { type: String, required: true }, id: { type: String, required: true } },
    receivedAt: { type: Date, required: true },
    applied: { type: Boolean, required: true },
  },
  { _id: false },
);

const purchaseOrderSchema = new Schema(
  {
    _id: { type: String, default: () => randomUUID() },
    garageId: { type: String, required: true },
    organisationId: { type: String, required: true },
    seq: { type: Number, required: true },
    /** garageId:seq — unique, so numbers are taken by the insert itself (no gaps, even after a crash) */
    numberKey: { type: String, required: true },
    number: { type: String, required: true },
    supplier: { name: { type: String, required: true }, email: { type: String, default: null } },
    lines: { type: [lineSchema], required: true },
    status: {
      type: String,
      enum: ['draft', 'ordered', 'partially_received', 'received', 'cancelled'],
      required: true,
    },
    currency: { type: String, required: true },
    total: { type: Number, required: true },
    expectedDate: { type: String, default: null },
    notes: { type: String, default: null },
    receipts: { type: [receiptSchema], default: [] },
    version: { type: Number, required: true },
  },
  { timestamps: true, collection: 'purchase_orders', versionKey: false },
);
purchaseOrderSchema.plugin(outboxPlugin);
purchaseOrderSchema.index({ numberKey: 1 }, { unique: true });
purchaseOrderSchema.index({ garageId: 1, seq: -1 });

export type PurchaseOrderDocument = InferSchemaType<typeof purchaseOrderSchema> & { _id: string };
export { purchaseOrderSchema };
