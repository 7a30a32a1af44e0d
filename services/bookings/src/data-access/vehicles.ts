import { errors, type Pagination } from '@pitlane/core';
import { isDuplicateKeyError } from '@pitlane/mongo';
import { withEvents } from '@pitlane/events';

import { lockKey } from './capacity';
import type { Ctx } from './context';
import { bookingsEvent, vehicleSnapshot, type Tenant } from './events';
import { requireCustomer, requireVehicle } from './lookups';
import type { VehicleDoc } from './vehicle.model';

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

const duplicateVin = (vin: string) =>
  errors.conflict('DUPLICATE_RESOURCE', 'A vehicle with this VIN already exists in this garage.', { field: 'vin', vin });

export async function createVehicle(ctx: Ctx, tenant: Tenant, input: VehicleInput & { customerId: string }) {
  await requireCustomer(ctx.models, tenant.garageId, input.customerId);
  const vehicle = new ctx.models.Vehicle({
    ...input,
    garageId: tenant.garageId,
    organisationId: tenant.organisationId,
    ...(input.vin ? { vinKey: `${tenant.garageId}:${input.vin}` } : {}),
  });
  vehicle.set('outbox', [bookingsEvent(tenant, 'vehicle.created', { vehicle: vehicleSnapshot(vehicle.toObject()) })]);
  try {
    await vehicle.save();
  } catch (error) {
    if (isDuplicateKeyError(error) && input.vin) throw duplicateVin(input.vin);
    throw error;
  }
  ctx.relay.nudge();
  return (await ctx.models.Vehicle.findById(vehicle._id).lean()) as VehicleDoc;
}

export async function updateVehicle(ctx: Ctx, tenant: Tenant, id: string, input: VehicleInput) {
  const current = await requireVehicle(ctx.models, tenant.garageId, id);
  const next = { ...current, ...input } as VehicleDoc;
  const set: Record<string, unknown> = { ...input };
  const unset: Record<string, ''> = {};
  if (input.vin !== undefined) {
    if (input.vin) set.vinKey = `${tenant.garageId}:${input.vin}`;
    else unset.vinKey = '';
  }
  try {
    await ctx.models.Vehicle.updateOne(
      { _id: id, garageId: tenant.garageId, deletedAt: null },
      withEvents<VehicleDoc>({ $set: set, ...(Object.keys(unset).length ? { $unset: unset } : {}) }, bookingsEvent(tenant, 'vehicle.updated', { vehicle: vehicleSnapshot(next) })),
    );
  } catch (error) {
    if (isDuplicateKeyError(error) && input.vin) throw duplicateVin(input.vin);
    throw error;
  }
  ctx.relay.nudge();
  return (await ctx.models.Vehicle.findById(id).lean()) as VehicleDoc;
}

/** No delete while the vehicle has an active booking. The delete takes the vehicle lock itself (as a
 * booking would), so a booking created at the same moment cannot slip in between check and delete. */
export async function deleteVehicle(ctx: Ctx, tenant: Tenant, id: string): Promise<void> {
  const vehicle = (await requireVehicle(ctx.models, tenant.garageId, id)) as VehicleDoc;
  const locked = await ctx.capacity.lockVehicle(tenant.garageId, id, `deleted:${id}`, (holder, at) => ctx.reconciler.isLockStale(holder, at));
  if (!locked) {
    const lock = await ctx.models.VehicleLock.findById(lockKey(tenant.garageId, id)).lean();
    throw errors.conflict('ACTIVE_JOB_EXISTS', 'The vehicle has an active booking; finish or cancel it first.', {
      vehicleId: id,
      bookingId: lock?.bookingId ?? null,
    });
  }
  await ctx.models.Vehicle.updateOne(
    { _id: id, garageId: tenant.garageId, deletedAt: null },
    withEvents<VehicleDoc>({ $set: { deletedAt: new Date() }, $unset: { vinKey: '' } }, bookingsEvent(tenant, 'vehicle.deleted', { vehicle: vehicleSnapshot(vehicle) })),
  );
  ctx.relay.nudge();
}

export async function listVehicles(ctx: Ctx, garageId: string, pagination: Pagination, filters: { customerId?: string | undefined; vin?: string | undefined; registration?: string | undefined }) {
  const filter: Record<string, unknown> = { garageId, deletedAt: null };
  if (filters.customerId) filter.customerId = filters.customerId;
  if (filters.vin) filter.vin = filters.vin.toUpperCase();
  if (filters.registration) filter.registration = filters.registration;
  const [items, total] = await Promise.all([
    ctx.models.Vehicle.find(filter).sort(pagination.sort).skip(pagination.skip).limit(pagination.limit).lean<VehicleDoc[]>(),
    ctx.models.Vehicle.countDocuments(filter),
  ]);
  return { items, total };
}
