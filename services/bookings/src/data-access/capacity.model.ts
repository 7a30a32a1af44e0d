import { Schema, type Connection } from 'mongoose';

/** Who holds one unit of a day: the booking id, the unit (null = the day itself, else the slot's
 * HH:MM) and when it was claimed (for the reconciler). A slot booking holds two units: day and slot. */
const claim = new Schema(
  { bookingId: { type: String, required: true }, slot: { type: String, default: null }, at: { type: Date, required: true } },
  { _id: false },
);

/** Capacity of one garage day with its slots in ONE document, so a create takes the day and its slot
 * with one conditional update: `booked` and `slots.<HH:MM>` only grow through a conditional `$inc`
 * guarded by `< capacity`, so concurrent creates can never overbook. */
const daySchema = new Schema(
  {
    _id: { type: String, required: true }, // garageId|date
    garageId: { type: String, required: true },
    date: { type: String, required: true },
    booked: { type: Number, default: 0 },
    slots: { type: Schema.Types.Mixed, default: {} },
    claims: { type: [claim], default: [] },
  },
  { versionKey: false, minimize: false },
);
daySchema.index({ garageId: 1, date: 1 });
daySchema.index({ date: 1 });

/** One per vehicle with an active booking (_id = garageId|vehicleId): the unique _id is the lock. */
const vehicleLockSchema = new Schema(
  {
    _id: { type: String, required: true },
    garageId: { type: String, required: true },
    vehicleId: { type: String, required: true },
    bookingId: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);

/** Per-garage sequences (booking numbers). */
const sequenceSchema = new Schema({ _id: { type: String, required: true }, seq: { type: Number, default: 0 } }, { versionKey: false });

export interface ClaimRow {
  bookingId: string;
  slot: string | null;
  at: Date;
}

export interface CapacityDayDoc {
  _id: string;
  garageId: string;
  date: string;
  booked: number;
  slots: Record<string, number>;
  claims: ClaimRow[];
}

export interface VehicleLockDoc {
  _id: string;
  garageId: string;
  vehicleId: string;
  bookingId: string;
  at: Date;
}

export function registerCapacityModels(connection: Connection) {
  return {
    CapacityDay: connection.model<CapacityDayDoc>('CapacityDay', daySchema, 'capacity_days'),
    VehicleLock: connection.model<VehicleLockDoc>('VehicleLock', vehicleLockSchema, 'vehicle_locks'),
    Sequence: connection.model<{ _id: string; seq: number }>('Sequence', sequenceSchema, 'sequences'),
  };
}
