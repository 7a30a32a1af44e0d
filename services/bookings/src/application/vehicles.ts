import { errors } from '@pitlane/core';

import type { VehicleDoc } from '../data-access/vehicle.model';
import { DUPLICATE_VIN } from '../data-access/vehicle.repository';
import type { Tenant } from '../domain/types';
import type { UseCaseDeps } from './deps';
import { bookingsEvent, vehicleSnapshot } from './events';

export interface VehicleInput {
  customerId?: string;
  vin?: string | null | undefined;
  registration?: string | null | undefined;
  make?: string;
  model?: string;
  year?: number | null | undefined;
  vehicleType?: string;
  color?: string | null | undefined;
  mileage?: number | null | undefined;
}

const duplicateVin = (vin: string | null | undefined) =>
  errors.conflict('DUPLICATE_RESOURCE', 'A vehicle with this VIN already exists in this garage.', { field: 'vin', vin });

/** Vehicles of a garage's customers; a VIN is unique in the garage. */
export class Vehicles {
  constructor(private readonly deps: UseCaseDeps) {}

  async create(tenant: Tenant, input: VehicleInput & { customerId: string }): Promise<VehicleDoc> {
    const { customers, vehicles } = this.deps.repos;
    await customers.require(tenant.garageId, input.customerId);
    const created = await vehicles.insert(
      {
        ...input,
        garageId: tenant.garageId,
        organisationId: tenant.organisationId,
        ...(input.vin ? { vinKey: vehicles.vinKeyOf(tenant.garageId, input.vin) } : {}),
      },
      (vehicle) => [bookingsEvent(tenant, 'vehicle.created', { vehicle: vehicleSnapshot(vehicle) })],
    );
    if (created === DUPLICATE_VIN) throw duplicateVin(input.vin);
    this.deps.relay.nudge();
    return created;
  }

  async update(tenant: Tenant, id: string, input: VehicleInput): Promise<VehicleDoc> {
    const { vehicles } = this.deps.repos;
    const current = await vehicles.require(tenant.garageId, id);
    const next = { ...current, ...input } as VehicleDoc;
    const set: Record<string, unknown> = { ...input };
    if (input.vin) set.vinKey = vehicles.vinKeyOf(tenant.garageId, input.vin);
    const unsetVinKey = input.vin !== undefined && !input.vin;
    const updated = await vehicles.update(tenant.garageId, id, { set, unsetVinKey }, [bookingsEvent(tenant, 'vehicle.updated', { vehicle: vehicleSnapshot(next) })]);
    if (updated === DUPLICATE_VIN) throw duplicateVin(input.vin);
    this.deps.relay.nudge();
    return updated;
  }

  /** No delete while the vehicle has an active booking. The delete takes the vehicle lock itself (as a
   * booking would), so a booking created at the same moment cannot slip in between check and delete. */
  async delete(tenant: Tenant, id: string): Promise<void> {
    const vehicle = await this.deps.repos.vehicles.require(tenant.garageId, id);
    const lock = await this.deps.capacity.lockVehicle(tenant.garageId, id, `deleted:${id}`);
    if (!lock.locked) {
      throw errors.conflict('ACTIVE_JOB_EXISTS', 'The vehicle has an active booking; finish or cancel it first.', { vehicleId: id, bookingId: lock.holder });
    }
    await this.deps.repos.vehicles.softDelete(tenant.garageId, id, [bookingsEvent(tenant, 'vehicle.deleted', { vehicle: vehicleSnapshot(vehicle) })]);
    this.deps.relay.nudge();
  }
}
