import { Schema } from 'mongoose';

/** Billing's copy of a vehicle (see customer.model.ts). `_id` = garageId:vehicleId. */
export interface VehicleDoc {
  _id: string;
  garageId: string;
  vehicleId: string;
  customerId: string;
  vin: string | null;
  registration: string | null;
  make: string;
  model: string;
  year: number | null;
  vehicleType: string;
  /** set by vehicle.deleted: the copy stays (so a late older update cannot bring it back), unusable */
  deletedAt: Date | null;
  sourceAt: Date;
}

export const vehicleSchema = new Schema<VehicleDoc>(
  {
    _id: String,
    garageId: { type: String, required: true },
    vehicleId: { type: String, required: true },
    customerId: { type: String, required: true },
    vin: { type: String, default: null },
    registration: { type: String, default: null },
    make: String,
    model: String,
    year: { type: Number, default: null },
    vehicleType: String,
    deletedAt: { type: Date, default: null },
    sourceAt: { type: Date, required: true },
  },
  { versionKey: false },
);
