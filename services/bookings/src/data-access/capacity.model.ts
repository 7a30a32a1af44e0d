import { Schema, type Connection } from 'mongoose';

/** Who holds one unit of a counter: the booking id and when it was claimed (for the reconciler). */
const claim = new Schema({ bookingId: { type: String, required: true }, at: { type: Date, required: true } }, { _id: false });

/** Capacity of one garage day (slot null) or one slot of it: `booked` only grows through a
 * conditional `$inc` guarded by `booked < capacity`, so concurrent creates can never overbook. */
const counterSchema = new Schema(
  {
    _id: { type: String, required: true }, // garageId|date or garageId|date|HH:MM
    garageId: { type: String, required: true },
    date: { type: String, required: true },
    slot: { type: String, default: null },
    booked: { type: Number, default: 0 },
    claims: { type: [claim], default: [] },
  },
  { versionKey: false },
);
counterSchema.index({ garageId: 1, date: 1 });
counterSchema.index({ date: 1 });

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

export interface CounterDoc {
  _id: string;
  garageId: string;
  date: string;
  slot: string | null;
  booked: number;
  claims: { bookingId: string; at: Date }[];
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
    CapacityCounter: connection.model<CounterDoc>('CapacityCounter', counterSchema, 'capacity_counters'),
    VehicleLock: connection.model<VehicleLockDoc>('VehicleLock', vehicleLockSchema, 'vehicle_locks'),
    Sequence: connection.model<{ _id: string; seq: number }>('Sequence', sequenceSchema, 'sequences'),
  };
}
