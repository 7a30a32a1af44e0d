import { randomUUID } from 'node:crypto';

import { outboxPlugin } from '@pitlane/events';
import { Schema, type InferSchemaType } from 'mongoose';

import type { Movement } from '../domain/stock';

/** A part line of a booking holding stock of this item (reserved) or refused it (backordered); kept
 * inside the item so reserve, release and consume are single-document conditional writes. Settling
 * the line removes the entry (see `settled_reservations`); consumed/released remain in the enum only
 * for entries written before settled lines were moved out. */
const reservationSchema = new Schema(
  {
    key: { type: String, required: true }, // bookingId:lineId
    bookingId: { type: String, required: true },
    lineId: { type: String, required: true },
    quantity: { type: Number, required: true },
    status: { type: String, enum: ['reserved', 'backordered', 'consumed', 'released'], required: true },
    updatedAt: { type: Date, required: true },
  },
  { _id: false },
);

/**
 * The item is the single source of truth of its stock: quantities, cost, the low-stock flag, the
 * version used for compare-and-set, and the movements not yet copied to the `movements` collection
 * (`pendingMovements`) all change in ONE write. See README "Stock ledger".
 */
const itemSchema = new Schema(
  {
    _id: { type: String, default: () => randomUUID() },
    garageId: { type: String, required: true },
    organisationId: { type: String, required: true },
    sku: { type: String, required: true },
    /** garageId:lower(sku); sparse unique = sku unique per garage on the stand-in too */
    skuKey: { type: String, required: true },
    name: { type: String, required: true },
    category: { type: String, default: null },
    unit: { type: String, default: 'each' },
    location: { type: String, default: null },
    barcode: { type: String, default: null },
    barcodeFormat: { type: String, default: null },
    /** garageId:normalised code, absent without a barcode (sparse) */
    barcodeKey: { type: String },
    currency: { type: String, required: true },
    unitPrice: { type: Number, required: true },
    unitCost: { type: Number, required: true },
    /** sales tax rate in basis points (2000 = 20 %) billing applies to this part; null: the garage's
     * default parts rate (published on every item snapshot, issue 12) */
    taxRate: { type: Number, default: null },
    reorderLevel: { type: Number, required: true },
    quantityOnHand: { type: Number, required: true },
    quantityReserved: { type: Number, required: true },
    /** derived (onHand − reserved), stored so lists can sort and filter on it */
    quantityAvailable: { type: Number, required: true },
    /** = available <= reorderLevel; flips only inside the stock write (low-stock crossing) */
    lowStockAlerted: { type: Boolean, required: true },
    /** compare-and-set counter: every write of the item increments it */
    version: { type: Number, required: true },
    movementSeq: { type: Number, required: true },
    pendingMovements: { type: [Schema.Types.Mixed], default: [] },
    /** open lines only: settled ones move to `settled_reservations` */
    reservations: { type: [reservationSchema], default: [] },
    /** keys (bookingId:lineId) of the last SETTLED_KEYS_WINDOW settled lines: a bounded window */
    settledKeys: { type: [String], default: [] },
    /** idempotency keys of applied purchase-order receipt lines (bounded) */
    appliedKeys: { type: [String], default: [] },
  },
  { timestamps: true, collection: 'items', versionKey: false },
);
itemSchema.plugin(outboxPlugin);
itemSchema.index({ skuKey: 1 }, { unique: true, sparse: true });
itemSchema.index({ barcodeKey: 1 }, { unique: true, sparse: true });
itemSchema.index({ garageId: 1, name: 1 });

export type ItemDocument = InferSchemaType<typeof itemSchema> & { _id: string; pendingMovements: Movement[] };
export { itemSchema };
