import { outboxPlugin } from '@pitlane/events';
import { Schema, type Connection, type InferSchemaType } from 'mongoose';

import { newId } from './ids';

const vehicleSchema = new Schema(
  {
    _id: { type: String, default: () => newId('veh') },
    garageId: { type: String, required: true },
    organisationId: { type: String, required: true },
    customerId: { type: String, required: true },
    vin: { type: String, default: null },
    /** garageId:VIN, unset without a VIN: sparse unique (the stand-in ignores partial indexes) */
    vinKey: { type: String },
    registration: { type: String, default: null },
    make: { type: String, required: true },
    model: { type: String, required: true },
    year: { type: Number, default: null },
    vehicleType: { type: String, required: true },
    color: { type: String, default: null },
    mileage: { type: Number, default: null },
    deletedAt: { type: Date, default: null },
  },
  { timestamps: true, versionKey: false },
);
vehicleSchema.index({ vinKey: 1 }, { unique: true, sparse: true });
vehicleSchema.index({ garageId: 1, customerId: 1 });
// the shard key (docs/scaling.md), unique because `_id` is: the stand-in serves `{_id, garageId}`
// lookups (every create reads its vehicle) from a unique index whose keys the filter matches exactly
vehicleSchema.index({ garageId: 1, _id: 1 }, { unique: true });
// the default list order and its cursor walk (newest first, id breaking ties): served in order, no sort
vehicleSchema.index({ garageId: 1, createdAt: -1, _id: -1 });
vehicleSchema.plugin(outboxPlugin);

export type VehicleDoc = InferSchemaType<typeof vehicleSchema> & { _id: string; createdAt: Date; updatedAt: Date };

export function registerVehicleModel(connection: Connection) {
  return connection.model('Vehicle', vehicleSchema, 'vehicles');
}
