import { errors } from '@pitlane/core';

import type { BookingDoc } from './booking.model';
import { checkBookable, dayPlan } from '../domain/schedule';
import { todayIn } from '../domain/local-date';
import { lockKey } from './capacity';
import { loadSchedule, type Ctx } from './context';
import { bookingsEvent, bookingSummary, type Tenant } from './events';
import { newId } from './ids';
import { priceServices, requireBay, requireCustomer, requireTechnician, requireVehicle } from './lookups';

export interface GarageTenant extends Tenant {
  currency: string;
  timezone: string;
}

export interface NewBooking {
  customerId: string;
  vehicleId: string;
  date: string;
  timeslot?: string | null | undefined;
  serviceIds?: string[] | undefined;
  technicianId?: string | null | undefined;
  bayId?: string | null | undefined;
  notes?: string | null | undefined;
}

/** The refusals of the scheduling guardrails, with their HTTP meaning. */
export function refusal(code: string, date: string, timeslot: string | null, slots?: string[]) {
  switch (code) {
    case 'GARAGE_CLOSED':
      return errors.conflict(code, `The garage is closed on ${date}.`, { date });
    case 'TIMESLOT_REQUIRED':
      return errors.validation('This garage requires a timeslot.', [{ field: 'timeslot', message: 'is required' }], code);
    case 'INVALID_TIMESLOT':
      return errors.validation(`${timeslot} is not a timeslot of ${date}.`, [
        { field: 'timeslot', message: `must be one of: ${(slots ?? []).join(', ') || '(none)'}` },
      ], code);
    case 'DATE_AT_CAPACITY':
      return errors.conflict(code, `${date} is fully booked.`, { date });
    case 'SLOT_AT_CAPACITY':
      return errors.conflict(code, `The ${timeslot} slot of ${date} is fully booked.`, { date, timeslot });
    default:
      return errors.conflict(code, 'The booking cannot be made.');
  }
}

export function refuseDateInPast(date: string, timezone: string): void {
  if (date < todayIn(timezone)) {
    throw errors.validation('The request is invalid.', [{ field: 'date', message: "must not be before today (garage's time zone)" }]);
  }
}

/**
 * Creating a booking without a transaction: (1) check references and the schedule, (2) lock the
 * vehicle, (3) claim the day and the slot, (4) insert the booking with its booking.created event.
 * Steps 2–3 record the booking id chosen up front; a refusal gives back what was taken, and a crash
 * before step 4 leaves claims the reconciler releases after the grace period.
 */
/**
 * With an Idempotency-Key, a retried create returns the booking the first one made (replayed: true)
 * instead of a second booking or a confusing ACTIVE_JOB_EXISTS. Checked before, and again after any
 * refusal, since a concurrent twin may have won in between; the unique index settles a tie.
 */
export async function createBookingOnce(ctx: Ctx, tenant: GarageTenant, input: NewBooking, key: string | null) {
  const idempotencyKey = key ? `${tenant.garageId}|${key}` : null;
  const earlier = async () =>
    idempotencyKey ? ctx.models.Booking.findOne({ idempotencyKey, garageId: tenant.garageId }).lean<BookingDoc>() : null;
  const before = await earlier();
  if (before) return { booking: before, replayed: true };
  try {
    return { booking: await createBooking(ctx, tenant, input, idempotencyKey), replayed: false };
  } catch (error) {
    const twin = await earlier();
    if (twin) return { booking: twin, replayed: true };
    throw error;
  }
}

export async function createBooking(ctx: Ctx, tenant: GarageTenant, input: NewBooking, idempotencyKey: string | null = null) {
  const { models, capacity, reconciler } = ctx;
  const { garageId } = tenant;
  const timeslot = input.timeslot ?? null;
  refuseDateInPast(input.date, tenant.timezone);
  // independent reads in parallel: latency is the slowest one, not their sum
  const [, vehicle, schedule] = await Promise.all([
    requireCustomer(models, garageId, input.customerId),
    requireVehicle(models, garageId, input.vehicleId),
    loadSchedule(models, garageId),
    input.technicianId ? requireTechnician(models, garageId, input.technicianId) : null,
    input.bayId ? requireBay(models, garageId, input.bayId) : null,
  ]);
  if (vehicle.customerId !== input.customerId) {
    throw errors.validation('The request is invalid.', [{ field: 'vehicleId', message: 'is not a vehicle of this customer' }]);
  }
  const services = await priceServices(models, garageId, input.serviceIds ?? [], vehicle.vehicleType);
  const refused = checkBookable(schedule, input.date, timeslot);
  if (refused) throw refusal(refused, input.date, timeslot, dayPlan(schedule, input.date).slots);

  const bookingId = newId('bk');
  const locked = await capacity.lockVehicle(garageId, vehicle._id, bookingId, (holder, at) => reconciler.isLockStale(holder, at));
  if (!locked) {
    const holder = await models.VehicleLock.findById(lockKey(garageId, vehicle._id)).lean();
    throw errors.conflict('ACTIVE_JOB_EXISTS', 'This vehicle already has an active booking.', {
      vehicleId: vehicle._id,
      bookingId: holder?.bookingId ?? null,
    });
  }
  const hold = { garageId, date: input.date, timeslot };
  const claimed = await capacity
    .claimHold(hold, { daily: schedule.dailyCapacity, slot: schedule.slotCapacity }, bookingId)
    .catch(async (error: unknown) => {
      await capacity.unlockVehicle(garageId, vehicle._id, bookingId);
      throw error;
    });
  if (claimed !== 'ok') {
    await capacity.unlockVehicle(garageId, vehicle._id, bookingId);
    throw refusal(claimed, input.date, timeslot);
  }

  try {
    const seq = await capacity.nextSequence(`${garageId}|booking`);
    const doc = {
      _id: bookingId,
      garageId,
      organisationId: tenant.organisationId,
      number: `BK-${String(seq).padStart(6, '0')}`,
      customerId: input.customerId,
      vehicleId: vehicle._id,
      vehicleType: vehicle.vehicleType,
      date: input.date,
      timeslot,
      services,
      currency: tenant.currency,
      technicianId: input.technicianId ?? null,
      bayId: input.bayId ?? null,
      notes: input.notes ?? null,
      status: 'pending',
      ...(idempotencyKey ? { idempotencyKey } : {}),
    };
    const created = new models.Booking(doc);
    created.set('outbox', [bookingsEvent(tenant, 'booking.created', { booking: bookingSummary(doc) })]);
    await created.save();
    ctx.relay.nudge();
    return created.toObject() as BookingDoc;
  } catch (error) {
    // nothing was stored: give everything back now rather than waiting for the reconciler
    await capacity.releaseHold(hold, bookingId).catch(() => undefined);
    await capacity.unlockVehicle(garageId, vehicle._id, bookingId).catch(() => undefined);
    throw error;
  }
}
