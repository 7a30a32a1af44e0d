import type { EventData } from '@pitlane/contracts';

import type { CustomerDoc } from './customer.model';
import type { Models } from './models';
import { snapshotWriter, type SnapshotOutcome } from './snapshot-writer';
import type { VehicleDoc } from './vehicle.model';

export interface SnapshotSource {
  garageId: string;
  occurredAt: string;
}

export type { SnapshotOutcome };

/** Billing's copies of the bookings service's customers and vehicles (kept from events). */
export interface ReadModelRepository {
  /** an older event never overwrites a newer copy ('duplicate'); see snapshot-writer.ts */
  upsertCustomer(source: SnapshotSource, customer: EventData<'customer.created'>['customer']): Promise<SnapshotOutcome>;
  /** `deleted` keeps the copy as a tombstone, so a late older update cannot bring the vehicle back */
  upsertVehicle(source: SnapshotSource, vehicle: EventData<'vehicle.created'>['vehicle'], deleted?: boolean): Promise<SnapshotOutcome>;
  findCustomer(garageId: string, customerId: string): Promise<CustomerDoc | null>;
  /** a deleted vehicle is not found */
  findVehicle(garageId: string, vehicleId: string): Promise<VehicleDoc | null>;
}

export function readModelRepository(models: Pick<Models, 'Customer' | 'Vehicle'>): ReadModelRepository {
  // driver writes (the values are the events' zod-parsed snapshots, exactly the schemas' fields)
  const customers = snapshotWriter(() => models.Customer.collection);
  const vehicles = snapshotWriter(() => models.Vehicle.collection);
  return {
    upsertCustomer: (source, customer) => {
      const { id, ...rest } = customer;
      return customers.upsert(`${source.garageId}:${id}`, new Date(source.occurredAt), { ...rest, customerId: id, garageId: source.garageId });
    },
    upsertVehicle: (source, vehicle, deleted = false) => {
      const { id, ...rest } = vehicle;
      const deletedAt = deleted ? new Date(source.occurredAt) : null;
      return vehicles.upsert(`${source.garageId}:${id}`, new Date(source.occurredAt), { ...rest, vehicleId: id, deletedAt, garageId: source.garageId });
    },
    findCustomer: (garageId, customerId) =>
      models.Customer.findOne({ _id: `${garageId}:${customerId}`, garageId }).lean<CustomerDoc>().exec(),
    findVehicle: (garageId, vehicleId) =>
      models.Vehicle.findOne({ _id: `${garageId}:${vehicleId}`, garageId, deletedAt: null }).lean<VehicleDoc>().exec(),
  };
}
