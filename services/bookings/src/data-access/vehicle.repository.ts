import { errors, timestampFilter, type ListOrder, type Page, type Pagination } from '@pitlane/core';
import { withEvents, type EventEnvelope } from '@pitlane/events';
import { isDuplicateKeyError } from '@pitlane/mongo';

import { findOwnedById } from './by-id';
import { findPage } from './find-page';
import type { Models } from './models';
import type { VehicleDoc } from './vehicle.model';

export type NewVehicleDoc = Partial<Omit<VehicleDoc, '_id' | 'createdAt' | 'updatedAt'>> & Pick<VehicleDoc, 'garageId' | 'organisationId' | 'customerId'>;

/** Returned instead of a write when the garage already has a vehicle with this VIN (unique vinKey). */
export const DUPLICATE_VIN = 'duplicate_vin';

export class VehicleRepository {
  constructor(
    private readonly models: Pick<Models, 'Vehicle'>,
    private readonly order: ListOrder = 'index',
  ) {}

  /** A live vehicle of the garage, or 404 (read by _id alone: see by-id.ts). */
  async require(garageId: string, id: string): Promise<VehicleDoc> {
    const vehicle = await findOwnedById<VehicleDoc>(this.models.Vehicle, garageId, id, { live: true });
    if (!vehicle) throw errors.notFound('Vehicle');
    return vehicle;
  }

  /** The garage's vehicle, deleted or not. */
  find(garageId: string, id: string): Promise<VehicleDoc | null> {
    return findOwnedById<VehicleDoc>(this.models.Vehicle, garageId, id, { live: false });
  }

  /** garageId:VIN, the value the unique index sees (unset without a VIN). */
  vinKeyOf(garageId: string, vin: string): string {
    return `${garageId}:${vin}`;
  }

  async insert(doc: NewVehicleDoc, events: (created: VehicleDoc) => EventEnvelope[]): Promise<VehicleDoc | typeof DUPLICATE_VIN> {
    const vehicle = new this.models.Vehicle(doc);
    vehicle.set('outbox', events(vehicle.toObject<VehicleDoc>()));
    try {
      await vehicle.save();
    } catch (error) {
      if (isDuplicateKeyError(error) && doc.vinKey) return DUPLICATE_VIN;
      throw error;
    }
    return (await this.models.Vehicle.findOne({ _id: vehicle._id, garageId: doc.garageId }).lean()) as VehicleDoc;
  }

  async update(garageId: string, id: string, change: { set: Record<string, unknown>; unsetVinKey: boolean }, events: EventEnvelope[]): Promise<VehicleDoc | typeof DUPLICATE_VIN> {
    try {
      await this.models.Vehicle.updateOne(
        { _id: id, garageId, deletedAt: null },
        withEvents<VehicleDoc>({ $set: change.set, ...(change.unsetVinKey ? { $unset: { vinKey: '' } } : {}) }, ...events),
      );
    } catch (error) {
      if (isDuplicateKeyError(error) && change.set.vinKey) return DUPLICATE_VIN;
      throw error;
    }
    return (await this.models.Vehicle.findOne({ _id: id, garageId }).lean()) as VehicleDoc;
  }

  /** The vehicle's last odometer reading becomes `reading`: only upwards, unless it is a correction
   * (then whatever was stored). false when a higher reading got there first. */
  async recordMileage(garageId: string, id: string, reading: number, correction: boolean): Promise<boolean> {
    const filter: Record<string, unknown> = { _id: id, garageId };
    if (!correction) filter.$or = [{ mileage: null }, { mileage: { $lte: reading } }];
    const result = await this.models.Vehicle.updateOne(filter, { $set: { mileage: reading } });
    return result.matchedCount === 1;
  }

  /** Soft delete (the delete event needs a document to travel in); frees the VIN for reuse. */
  async softDelete(garageId: string, id: string, events: EventEnvelope[]): Promise<void> {
    await this.models.Vehicle.updateOne({ _id: id, garageId, deletedAt: null }, withEvents<VehicleDoc>({ $set: { deletedAt: new Date() }, $unset: { vinKey: '' } }, ...events));
  }

  /** A page of the garage's vehicles; with `count: false` (or a cursor) no count of the whole match. */
  async list(
    garageId: string,
    pagination: Pagination,
    filters: { customerId?: string | undefined; vin?: string | undefined; registration?: string | undefined },
    options: { count?: boolean } = {},
  ): Promise<Page<VehicleDoc>> {
    const filter: Record<string, unknown> = { garageId, deletedAt: null, ...timestampFilter(pagination) };
    if (filters.customerId) filter.customerId = filters.customerId;
    if (filters.vin) filter.vin = filters.vin.toUpperCase();
    if (filters.registration) filter.registration = filters.registration;
    return findPage<VehicleDoc>(this.models.Vehicle, filter, pagination, this.order, options.count ?? true);
  }
}
