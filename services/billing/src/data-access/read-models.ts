import type { EventData } from '@pitlane/contracts';
import { isDuplicateKeyError } from '@pitlane/mongo';
import { Schema, type Model } from 'mongoose';

/** Billing's own copies of the bookings service's customers and vehicles, kept from events, so an
 * estimate can be checked and printed without calling another service. `_id` = garageId:id. */
export interface CustomerDoc {
  _id: string;
  garageId: string;
  customerId: string;
  firstName: string;
  lastName: string;
  email: string | null;
  phone: string | null;
  /** occurredAt of the event this copy comes from: an older event never overwrites a newer copy */
  sourceAt: Date;
}

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

export const customerSchema = new Schema<CustomerDoc>(
  {
    _id: String,
    garageId: { type: String, required: true },
    customerId: { type: String, required: true },
    firstName: String,
    lastName: String,
    email: { type: String, default: null },
    phone: { type: String, default: null },
    sourceAt: { type: Date, required: true },
  },
  { versionKey: false },
);

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

export interface SnapshotSource {
  garageId: string;
  occurredAt: string;
}

/**
 * Upsert guarded by the event time: the filter only matches a copy that is not newer than the event,
 * so a late, older event falls through to the insert of the upsert and hits the `_id` → 11000 means
 * "a newer copy is already there". A redelivered event rewrites the same values (harmless).
 */
async function upsertSnapshot<T>(model: Model<T>, id: string, source: SnapshotSource, values: object): Promise<'handled' | 'duplicate'> {
  const sourceAt = new Date(source.occurredAt);
  try {
    await model.updateOne(
      { _id: id, sourceAt: { $lte: sourceAt } } as never,
      { $set: { ...values, garageId: source.garageId, sourceAt } } as never,
      { upsert: true },
    );
    return 'handled';
  } catch (error) {
    if (isDuplicateKeyError(error)) return 'duplicate';
    throw error;
  }
}

export function upsertCustomer(
  model: Model<CustomerDoc>,
  source: SnapshotSource,
  customer: EventData<'customer.created'>['customer'],
): Promise<'handled' | 'duplicate'> {
  const { id, ...rest } = customer;
  return upsertSnapshot(model, `${source.garageId}:${id}`, source, { ...rest, customerId: id });
}

export function upsertVehicle(
  model: Model<VehicleDoc>,
  source: SnapshotSource,
  vehicle: EventData<'vehicle.created'>['vehicle'],
  deleted = false,
): Promise<'handled' | 'duplicate'> {
  const { id, ...rest } = vehicle;
  const deletedAt = deleted ? new Date(source.occurredAt) : null;
  return upsertSnapshot(model, `${source.garageId}:${id}`, source, { ...rest, vehicleId: id, deletedAt });
}

export function findCustomer(model: Model<CustomerDoc>, garageId: string, customerId: string): Promise<CustomerDoc | null> {
  return model.findOne({ _id: `${garageId}:${customerId}`, garageId }).lean<CustomerDoc>().exec();
}

export function findVehicle(model: Model<VehicleDoc>, garageId: string, vehicleId: string): Promise<VehicleDoc | null> {
  return model.findOne({ _id: `${garageId}:${vehicleId}`, garageId, deletedAt: null }).lean<VehicleDoc>().exec();
}
