import { Schema } from 'mongoose';

/** The materialised ledger: one document per movement, keyed by the movement id so copying a
 * pending movement twice (after a crash) is a harmless duplicate-key error. */
export const movementSchema = new Schema(
  {
    _id: { type: String, required: true },
    garageId: { type: String, required: true },
    itemId: { type: String, required: true },
    seq: { type: Number, required: true },
    reason: { type: String, required: true },
    quantity: { type: Number, required: true },
    reservedQuantity: { type: Number, required: true },
    quantityOnHand: { type: Number, required: true },
    quantityReserved: { type: Number, required: true },
    unitCost: { type: Number, required: true },
    actor: { type: { type: String, required: true }, id: { type: String, required: true } },
    note: { type: String, default: null },
    reference: { type: Schema.Types.Mixed, default: null },
    createdAt: { type: Date, required: true },
  },
  { collection: 'movements', versionKey: false },
);
movementSchema.index({ garageId: 1, itemId: 1, seq: -1 });
