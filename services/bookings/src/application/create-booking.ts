import { errors, todayIn } from '@pitlane/core';

import type { BookingDoc } from '../data-access/booking.model';
import type { TechnicianDoc } from '../data-access/catalog.model';
import { newId } from '../data-access/ids';
import { priceServiceLines, type ServiceLine } from '../domain/pricing';
import { checkBookable, dayPlan } from '../domain/schedule';
import { nextTeam } from '../domain/technicians';
import type { GarageTenant } from '../domain/types';
import type { UseCaseDeps } from './deps';
import { bookingsEvent, bookingSummary } from './events';

export interface NewBooking {
  customerId: string;
  vehicleId: string;
  date: string;
  timeslot?: string | null | undefined;
  serviceIds?: string[] | undefined;
  technicianId?: string | null | undefined;
  technicianIds?: string[] | undefined;
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

/** The services' lines priced for the vehicle type (domain/pricing.ts); an unknown one is a 404, one
 * without a price for that type a 400 on serviceIds. */
export async function priceServices(deps: UseCaseDeps, garageId: string, serviceIds: string[], vehicleType: string): Promise<ServiceLine[]> {
  if (serviceIds.length === 0) return [];
  const priced = priceServiceLines(serviceIds, await deps.repos.catalog.servicesByIds(garageId, [...new Set(serviceIds)]), vehicleType);
  if ('lines' in priced) return priced.lines;
  if (priced.refused === 'unknown_service') throw errors.notFound(`Service ${priced.serviceId}`);
  throw errors.validation('The request is invalid.', [
    { field: 'serviceIds', message: `service ${priced.serviceId} has no price for vehicle type ${vehicleType}` },
  ]);
}

/** The garage's technicians of the ids, in that order; an unknown one is a 404 (as for the lead). */
export async function requireTechnicians(deps: UseCaseDeps, garageId: string, ids: string[]): Promise<TechnicianDoc[]> {
  if (ids.length === 0) return [];
  const found = new Map((await deps.repos.catalog.techniciansByIds(garageId, ids)).map((t) => [t._id, t]));
  return ids.map((id) => {
    const technician = found.get(id);
    if (!technician) throw errors.notFound(`Technician ${id}`);
    return technician;
  });
}

/**
 * POST /bookings. With an Idempotency-Key, a retried create returns the booking the first one made
 * (replayed: true) instead of a second booking or a confusing ACTIVE_JOB_EXISTS. The retry runs like a
 * first create: the first booking's vehicle lock (or the unique index on the key, if the first booking
 * is over) refuses it, and any refusal looks for the booking of the key before it is answered. So a
 * create with a key costs no extra read; only a refused or replayed one does.
 */
export class CreateBooking {
  constructor(private readonly deps: UseCaseDeps) {}

  async run(tenant: GarageTenant, input: NewBooking, key: string | null): Promise<{ booking: BookingDoc; replayed: boolean }> {
    const idempotencyKey = key ? `${tenant.garageId}|${key}` : null;
    try {
      return { booking: await this.create(tenant, input, idempotencyKey), replayed: false };
    } catch (error) {
      const twin = idempotencyKey ? await this.deps.repos.bookings.findByIdempotencyKey(tenant.garageId, idempotencyKey) : null;
      if (twin) return { booking: twin, replayed: true };
      throw error;
    }
  }

  /**
   * Creating a booking without a transaction: (1) check references and the schedule, (2) lock the
   * vehicle, (3) claim the day and the slot, (4) insert the booking with its booking.created event.
   * Steps 2–3 record the booking id chosen up front; a refusal gives back what was taken, and a crash
   * before step 4 leaves claims the reconciler releases after the grace period. Uncontended, that is
   * five database operations: two reads in parallel, the lock, one write on the day, the insert
   * (plus one sequence write per NUMBER_BLOCK creates).
   */
  private async create(tenant: GarageTenant, input: NewBooking, idempotencyKey: string | null): Promise<BookingDoc> {
    const { repos, capacity } = this.deps;
    const { garageId } = tenant;
    const timeslot = input.timeslot ?? null;
    const team = nextTeam({ technicianId: null, technicianIds: [] }, input);
    refuseDateInPast(input.date, tenant.timezone);
    // independent reads in parallel: latency is the slowest one, not their sum
    const [vehicle, schedule] = await Promise.all([
      repos.vehicles.require(garageId, input.vehicleId).catch(async (error: unknown) => {
        await repos.customers.require(garageId, input.customerId); // an unknown customer is the 404 a partner sees first
        throw error;
      }),
      repos.schedules.load(garageId),
      requireTechnicians(this.deps, garageId, team.technicianIds),
      input.bayId ? repos.catalog.requireBay(garageId, input.bayId) : null,
    ]);
    // the customer is not read when the vehicle is theirs: a vehicle is only created for an existing
    // customer, and customers are never deleted, so the vehicle's owner exists
    if (vehicle.customerId !== input.customerId) {
      await repos.customers.require(garageId, input.customerId);
      throw errors.validation('The request is invalid.', [{ field: 'vehicleId', message: 'is not a vehicle of this customer' }]);
    }
    const services = await priceServices(this.deps, garageId, input.serviceIds ?? [], vehicle.vehicleType);
    const refused = checkBookable(schedule, input.date, timeslot);
    if (refused) throw refusal(refused, input.date, timeslot, dayPlan(schedule, input.date).slots);

    const bookingId = newId('bk');
    const lock = await capacity.lockVehicle(garageId, vehicle._id, bookingId);
    if (!lock.locked) {
      throw errors.conflict('ACTIVE_JOB_EXISTS', 'This vehicle already has an active booking.', { vehicleId: vehicle._id, bookingId: lock.holder });
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
      const doc = {
        _id: bookingId,
        garageId,
        organisationId: tenant.organisationId,
        number: await this.deps.numbers.next(garageId),
        customerId: input.customerId,
        vehicleId: vehicle._id,
        vehicleType: vehicle.vehicleType,
        date: input.date,
        timeslot,
        services,
        currency: tenant.currency,
        ...team,
        bayId: input.bayId ?? null,
        notes: input.notes ?? null,
        status: 'pending',
        ...(idempotencyKey ? { idempotencyKey } : {}),
      };
      const created = await repos.bookings.insert(doc, [bookingsEvent(tenant, 'booking.created', { booking: bookingSummary(doc) })]);
      this.deps.relay.nudge();
      return created;
    } catch (error) {
      // nothing was stored: give everything back now rather than waiting for the reconciler
      await capacity.releaseHold(hold, bookingId).catch(() => undefined);
      await capacity.unlockVehicle(garageId, vehicle._id, bookingId).catch(() => undefined);
      throw error;
    }
  }
}
