import { errors, todayIn } from '@pitlane/core';
import type { EventEnvelope } from '@pitlane/events';

import type { BookingDoc } from '../data-access/booking.model';
import { allowedTransitions, canDelete, holdsCapacity, isActive } from '../domain/booking-status';
import { isMileageDecrease, takesMileage } from '../domain/mileage';
import { teamOf } from '../domain/technicians';
import type { BookingStatus, GarageTenant } from '../domain/types';
import type { UseCaseDeps } from './deps';
import { bookingsEvent, bookingSummary, customerSnapshot, vehicleSnapshot } from './events';

/** An odometer reading sent with a status change; `correction` allows one below the last reading. */
export interface OdometerReading {
  mileage: number;
  correction: boolean;
}

/** POST /bookings/{bid}/status and DELETE /bookings/{bid}. */
export class ChangeStatus {
  constructor(private readonly deps: UseCaseDeps) {}

  /**
   * One transition = one conditional write (`status` still the one we read) carrying every event it
   * causes. Capacity and the vehicle lock are released after it; a crash in between is repaired by
   * the reconciler, which sees the booking no longer holds them.
   */
  async run(tenant: GarageTenant, bookingId: string, to: BookingStatus, reason: string | null, reading: OdometerReading | null = null): Promise<BookingDoc> {
    const { bookings } = this.deps.repos;
    if (reading && !takesMileage(to)) {
      throw errors.validation('The request is invalid.', [{ field: 'mileage', message: 'is recorded only when the booking becomes checked_in or completed' }]);
    }
    for (let attempt = 0; attempt < 3; attempt++) {
      const booking = await bookings.require(tenant.garageId, bookingId);
      const from = booking.status as BookingStatus;
      const allowed = allowedTransitions[from];
      if (!allowed.includes(to)) {
        throw errors.conflict('INVALID_STATUS_TRANSITION', `A ${from} booking cannot become ${to}.`, { from, to, allowed });
      }
      if (reading) await this.refuseMileageDecrease(tenant.garageId, booking.vehicleId, reading);
      const now = new Date();
      const set: Record<string, unknown> = { status: to };
      if (reading) set[to === 'checked_in' ? 'mileageIn' : 'mileageOut'] = reading.mileage;
      const next = { ...booking, ...set } as BookingDoc;
      const events: EventEnvelope[] = [bookingsEvent(tenant, 'booking.status_changed', { booking: bookingSummary(next), from, to, reason, mileage: reading?.mileage ?? null })];
      if (to === 'cancelled') events.push(bookingsEvent(tenant, 'booking.cancelled', { booking: bookingSummary(next), reason }));
      if (to === 'completed') events.push(await this.completedEvent(tenant, next, now));
      if (to === 'in_progress' && !booking.startedAt) set.startedAt = now;
      if (to === 'completed') set.completedAt = now;
      // date and slot too: the release below must free what the booking holds at the moment of the write
      const expected = { status: from, date: booking.date, timeslot: booking.timeslot ?? null };
      const transition = { from, to, reason, at: now };
      const written = await bookings.writeIfUnchanged(tenant.garageId, bookingId, expected, { set, push: { statusHistory: transition } }, events);
      if (!written) continue; // changed meanwhile: decide again on the fresh state
      this.deps.relay.nudge();
      // the booking holds the reading; the vehicle's last reading follows (never downwards unless a correction)
      if (reading) await this.deps.repos.vehicles.recordMileage(tenant.garageId, booking.vehicleId, reading.mileage, reading.correction);
      await this.releaseWhatItNoLongerHolds(booking, to);
      // the answer shows the transition just written, as a read after it would
      return { ...booking, ...set, statusHistory: [...booking.statusHistory, transition] as unknown as BookingDoc['statusHistory'], updatedAt: now };
    }
    throw errors.conflict('BOOKING_CHANGED', 'The booking was changed by another request; retry.');
  }

  private async refuseMileageDecrease(garageId: string, vehicleId: string, reading: OdometerReading): Promise<void> {
    const vehicle = await this.deps.repos.vehicles.find(garageId, vehicleId);
    const last = vehicle?.mileage ?? null;
    if (isMileageDecrease(last, reading.mileage, reading.correction)) {
      throw errors.conflict('MILEAGE_DECREASED', `The reading ${reading.mileage} is below the vehicle's last one (${last}); send mileageCorrection: true to correct it.`, {
        vehicleId,
        lastMileage: last,
        mileage: reading.mileage,
      });
    }
  }

  /** Only before the vehicle arrived. Soft delete, so the booking.deleted event has a document to
   * travel in and the reconciler can tell a deleted booking from one still being created. */
  async deleteBooking(tenant: GarageTenant, bookingId: string): Promise<void> {
    const { bookings } = this.deps.repos;
    const booking = await bookings.require(tenant.garageId, bookingId);
    if (!canDelete(booking.status as BookingStatus)) {
      throw errors.conflict('BOOKING_NOT_DELETABLE', `A ${booking.status} booking cannot be deleted; only pending or confirmed ones.`, {
        status: booking.status,
        deletableStatuses: ['pending', 'confirmed'],
      });
    }
    const expected = { status: booking.status, date: booking.date, timeslot: booking.timeslot ?? null };
    const written = await bookings.writeIfUnchanged(tenant.garageId, bookingId, expected, { set: { deletedAt: new Date() } }, [
      bookingsEvent(tenant, 'booking.deleted', { booking: bookingSummary(booking) }),
    ]);
    if (!written) return this.deleteBooking(tenant, bookingId);
    this.deps.relay.nudge();
    await this.releaseWhatItNoLongerHolds(booking, 'deleted');
  }

  private async releaseWhatItNoLongerHolds(booking: BookingDoc, to: BookingStatus | 'deleted'): Promise<void> {
    const { capacity } = this.deps;
    const hold = { garageId: booking.garageId, date: booking.date, timeslot: booking.timeslot ?? null };
    if (to === 'deleted' || !holdsCapacity(to)) await capacity.releaseHold(hold, booking._id);
    if (to === 'deleted' || !isActive(to)) await capacity.unlockVehicle(booking.garageId, booking.vehicleId, booking._id);
  }

  /** Everything billing needs to invoice without calling back. */
  private async completedEvent(tenant: GarageTenant, booking: BookingDoc, completedAt: Date) {
    const { repos } = this.deps;
    const team = teamOf(booking);
    const [customer, vehicle, members] = await Promise.all([
      repos.customers.find(tenant.garageId, booking.customerId),
      repos.vehicles.find(tenant.garageId, booking.vehicleId),
      repos.catalog.techniciansByIds(tenant.garageId, team.technicianIds),
    ]);
    const named = new Map(members.map((t) => [t._id, { id: t._id, name: t.name }]));
    const technicians = team.technicianIds.flatMap((id) => named.get(id) ?? []);
    if (!customer || !vehicle) throw errors.conflict('BOOKING_INCOMPLETE', 'The booking refers to a customer or vehicle that no longer exists.');
    return bookingsEvent(tenant, 'booking.completed', {
      booking: bookingSummary(booking),
      completedAt: completedAt.toISOString(),
      completedOn: todayIn(tenant.timezone, completedAt),
      currency: tenant.currency !== 'XXX' ? tenant.currency : booking.currency,
      customer: customerSnapshot(customer),
      vehicle: vehicleSnapshot(vehicle),
      technician: (team.technicianId && named.get(team.technicianId)) || null,
      technicians,
      mileage: booking.mileageOut ?? null,
      services: booking.services.map((s) => ({
        serviceId: s.serviceId,
        name: s.name,
        code: s.code ?? null,
        unitPrice: s.unitPrice,
        quantity: s.quantity ?? 1,
        taxRate: s.taxRate ?? 0,
      })),
      parts: booking.parts.map((p) => ({
        lineId: p.lineId,
        itemId: p.itemId,
        sku: p.sku,
        name: p.name,
        unitPrice: p.unitPrice,
        quantity: p.quantity,
        taxRate: p.taxRate ?? 0,
        status: p.status,
      })),
    });
  }
}
