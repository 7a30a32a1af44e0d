import type { EventData } from '@pitlane/contracts';
import { isDuplicateKeyError } from '@pitlane/mongo';
import type { Model } from 'mongoose';

import type { CustomerDoc } from './customer.model';
import type { Models } from './models';
import type { VehicleDoc } from './vehicle.model';

export interface SnapshotSource {
  garageId: string;
  occurredAt: string;
}

export type SnapshotOutcome = 'handled' | 'duplicate';

/** Billing's copies of the bookings service's customers and vehicles (kept from events). */
export interface ReadModelRepository {
  upsertCustomer(source: SnapshotSource, customer: EventData<'customer.created'>['customer']): Promise<SnapshotOutcome>;
  /** `deleted` keeps the copy as a tombstone, so a late older update cannot bring the vehicle back */
  upsertVehicle(source: SnapshotSource, vehicle: EventData<'vehicle.created'>['vehicle'], deleted?: boolean): Promise<SnapshotOutcome>;
  findCustomer(garageId: string, customerId: string): Promise<CustomerDoc | null>;
  /** a deleted vehicle is not found */
  findVehicle(garageId: string, vehicleId: string): Promise<VehicleDoc | null>;
}

/**
 * Upsert guarded by the event time: the filter only matches a copy that is not newer than the event,
 * so a late, older event falls through to the insert of the upsert and hits the `_id` → 11000 means
 * "a newer copy is already there". A redelivered event rewrites the same values (harmless).
 */
async function upsertSnapshot<T>(model: Model<T>, id: string, source: SnapshotSource, values: object): Promise<SnapshotOutcome> {
  const sourceAt = new Date(source.occurredAt);
  try {
    await model.updateOne(
      { _id: id, sourceAt: { $lte: sourceAt } } as never,
      { $set: { ...values, garageId: source.garageId, sourceAt } },
      { upsert: true },
    );
    return 'handled';
  } catch (error) {
    if (isDuplicateKeyError(error)) return 'duplicate';
    throw error;
  }
}

export function readModelRepository(models: Pick<Models, 'Customer' | 'Vehicle'>): ReadModelRepository {
  return {
    upsertCustomer: (source, customer) => {
      const { id, ...rest } = customer;
      return upsertSnapshot(models.Customer, `${source.garageId}:${id}`, source, { ...rest, customerId: id });
    },
    upsertVehicle: (source, vehicle, deleted = false) => {
      const { id, ...rest } = vehicle;
      const deletedAt = deleted ? new Date(source.occurredAt) : null;
      return upsertSnapshot(models.Vehicle, `${source.garageId}:${id}`, source, { ...rest, vehicleId: id, deletedAt });
    },
    findCustomer: (garageId, customerId) =>
      models.Customer.findOne({ _id: `${garageId}:${customerId}`, garageId }).lean<CustomerDoc>().exec(),
    findVehicle: (garageId, vehicleId) =>
      models.Vehicle.findOne({ _id: `${garageId}:${vehicleId}`, garageId, deletedAt: null }).lean<VehicleDoc>().exec(),
  };
}
