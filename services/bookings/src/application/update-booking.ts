import { errors } from '@pitlane/core';
import type { EventEnvelope } from '@pitlane/events';

import type { BookingDoc } from '../data-access/booking.model';
import type { Unit } from '../data-access/capacity.repository';
import { canReschedule, isActive } from '../domain/booking-status';
import { checkBookable, dayPlan } from '../domain/schedule';
import { newMembers, nextTeam, teamOf } from '../domain/technicians';
import type { BookingStatus, GarageTenant } from '../domain/types';
import { priceServices, refusal, refuseDateInPast, requireTechnicians } from './create-booking';
import type { UseCaseDeps } from './deps';
import { bookingsEvent, bookingSummary } from './events';

export interface BookingChanges {
  date?: string | undefined;
  timeslot?: string | null | undefined;
  serviceIds?: string[] | undefined;
  technicianId?: string | null | undefined;
  technicianIds?: string[] | undefined;
  bayId?: string | null | undefined;
  notes?: string | null | undefined;
}

/** A booking's units of capacity: its day, and its slot when it has one. */
const unitsOf = (date: string, timeslot: string | null) => [{ date, slot: null }, ...(timeslot === null ? [] : [{ date, slot: timeslot }])];
const sameUnit = (a: { date: string; slot: string | null }) => (b: { date: string; slot: string | null }) => a.date === b.date && a.slot === b.slot;

function refuseFinished(status: string): void {
  if (!isActive(status as BookingStatus)) {
    throw errors.conflict('BOOKING_NOT_EDITABLE', `A ${status} booking can no longer be changed.`, { status });
  }
}

const changedMeanwhile = () => errors.conflict('BOOKING_CHANGED', 'The booking was changed by another request; retry.');

/** PATCH /bookings/{bid} and POST /bookings/{bid}/technician. */
export class UpdateBooking {
  constructor(private readonly deps: UseCaseDeps) {}

  /**
   * A reschedule claims the new day/slot FIRST, then moves the booking with one conditional write
   * (still at the old date and slot), then releases the old ones: capacity is never oversold, and a
   * crash at any point leaves only claims the reconciler recognises as stale.
   */
  async run(tenant: GarageTenant, bookingId: string, changes: BookingChanges): Promise<BookingDoc> {
    const { repos, capacity } = this.deps;
    const { garageId } = tenant;
    const booking = await repos.bookings.require(garageId, bookingId);
    const status = booking.status as BookingStatus;
    refuseFinished(status);
    const oldSlot = booking.timeslot ?? null;
    const date = changes.date ?? booking.date;
    const timeslot = changes.timeslot === undefined ? oldSlot : changes.timeslot;
    const moving = date !== booking.date || timeslot !== oldSlot;

    const set: Record<string, unknown> = {};
    const changed: string[] = [];
    if (changes.serviceIds) {
      set.services = await priceServices(this.deps, garageId, changes.serviceIds, booking.vehicleType);
      changed.push('services');
    }
    const team = teamOf(booking);
    const nextTeamOf = nextTeam(team, changes);
    const joined = await requireTechnicians(this.deps, garageId, newMembers(team, nextTeamOf));
    if (nextTeamOf !== team) {
      Object.assign(set, nextTeamOf);
      if (nextTeamOf.technicianId !== team.technicianId) changed.push('technicianId');
      if (nextTeamOf.technicianIds.join() !== team.technicianIds.join()) changed.push('technicianIds');
    }
    if (changes.bayId !== undefined) {
      if (changes.bayId) await repos.catalog.requireBay(garageId, changes.bayId);
      set.bayId = changes.bayId;
      changed.push('bayId');
    }
    if (changes.notes !== undefined) {
      set.notes = changes.notes;
      changed.push('notes');
    }

    let claimed: Unit[] = [];
    let toRelease: { date: string; slot: string | null }[] = [];
    if (moving) {
      if (!canReschedule(status)) {
        throw errors.conflict('BOOKING_NOT_EDITABLE', `A ${status} booking cannot be rescheduled; only pending or confirmed ones.`, { status });
      }
      if (date !== booking.date) refuseDateInPast(date, tenant.timezone);
      const schedule = await repos.schedules.load(garageId);
      const refused = checkBookable(schedule, date, timeslot);
      if (refused) throw refusal(refused, date, timeslot, dayPlan(schedule, date).slots);
      const before = unitsOf(booking.date, oldSlot);
      const after = unitsOf(date, timeslot);
      // the new units are all on the new date: taken together in one write, all or none
      const wanted = after.filter((unit) => !before.some(sameUnit(unit)));
      claimed = wanted.map((unit) => ({ slot: unit.slot, capacity: unit.slot === null ? schedule.dailyCapacity : schedule.slotCapacity }));
      if (claimed.length > 0) {
        const taken = await capacity.claim(garageId, date, claimed, bookingId);
        if (taken !== 'ok') throw refusal(taken, date, timeslot);
      }
      toRelease = before.filter((unit) => !after.some(sameUnit(unit)));
      Object.assign(set, { date, timeslot });
      if (date !== booking.date) changed.push('date');
      if (timeslot !== oldSlot) changed.push('timeslot');
    }
    if (changed.length === 0) return booking;

    const next = { ...booking, ...set };
    const events: EventEnvelope[] = [bookingsEvent(tenant, 'booking.updated', { booking: bookingSummary(next), changes: changed })];
    for (const technician of joined) {
      events.push(bookingsEvent(tenant, 'technician.assigned', { booking: bookingSummary(next), technician: { id: technician._id, name: technician.name } }));
    }
    const written = await repos.bookings.writeIfUnchanged(garageId, bookingId, { status, date: booking.date, timeslot: oldSlot }, { set }, events);
    if (!written) {
      for (const unit of claimed) await capacity.release(garageId, date, unit.slot, bookingId);
      throw changedMeanwhile();
    }
    this.deps.relay.nudge();
    for (const unit of toRelease) await capacity.release(garageId, unit.date, unit.slot, bookingId);
    return { ...next, updatedAt: new Date() };
  }

  /** The lead technician (replacing the old lead in the team), technician.assigned in the same write. */
  async assignTechnician(tenant: GarageTenant, bookingId: string, technicianId: string): Promise<BookingDoc> {
    const { repos } = this.deps;
    const booking = await repos.bookings.require(tenant.garageId, bookingId);
    refuseFinished(booking.status);
    const technician = await repos.catalog.requireTechnician(tenant.garageId, technicianId);
    const team = nextTeam(teamOf(booking), { technicianId });
    const next = { ...booking, ...team };
    const written = await repos.bookings.writeIfUnchanged(tenant.garageId, bookingId, { status: booking.status }, { set: { ...team } }, [
      bookingsEvent(tenant, 'technician.assigned', { booking: bookingSummary(next), technician: { id: technician._id, name: technician.name } }),
    ]);
    if (!written) throw changedMeanwhile();
    this.deps.relay.nudge();
    return { ...next, updatedAt: new Date() };
  }
}
