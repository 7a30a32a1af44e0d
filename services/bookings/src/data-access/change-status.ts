import { errors } from '@pitlane/core';
import { withEvents, type EventEnvelope } from '@pitlane/events';

import { allowedTransitions, canDelete, holdsCapacity, isActive } from '../domain/booking-status';
import { todayIn } from '../domain/local-date';
import type { BookingStatus } from '../domain/types';
import type { BookingDoc } from './booking.model';
import type { Ctx } from './context';
import type { GarageTenant } from './create-booking';
import { bookingsEvent, bookingSummary, customerSnapshot, vehicleSnapshot } from './events';
import { requireBooking } from './lookups';

/**
 * One transition = one conditional write (`status` still the one we read) carrying every event it
 * causes. Capacity and the vehicle lock are released after it; a crash in between is repaired by
 * the reconciler, which sees the booking no longer holds them.
 */
export async function changeStatus(ctx: Ctx, tenant: GarageTenant, bookingId: string, to: BookingStatus, reason: string | null) {
  const { models } = ctx;
  for (let attempt = 0; attempt < 3; attempt++) {
    const booking = await requireBooking(models, tenant.garageId, bookingId);
    const from = booking.status as BookingStatus;
    const allowed = allowedTransitions[from];
    if (!allowed.includes(to)) {
      throw errors.conflict('INVALID_STATUS_TRANSITION', `A ${from} booking cannot become ${to}.`, { from, to, allowed });
    }
    const now = new Date();
    const next = { ...booking, status: to };
    const events: EventEnvelope[] = [bookingsEvent(tenant, 'booking.status_changed', { booking: bookingSummary(next), from, to, reason })];
    if (to === 'cancelled') events.push(bookingsEvent(tenant, 'booking.cancelled', { booking: bookingSummary(next), reason }));
    if (to === 'completed') events.push(await completedEvent(ctx, tenant, next, now));
    const set: Record<string, unknown> = { status: to };
    if (to === 'in_progress' && !booking.startedAt) set.startedAt = now;
    if (to === 'completed') set.completedAt = now;
    const result = await models.Booking.updateOne(
      // date and slot too: the release below must free what the booking holds at the moment of the write
      { _id: bookingId, garageId: tenant.garageId, status: from, date: booking.date, timeslot: booking.timeslot ?? null, deletedAt: null },
      withEvents<BookingDoc>({ $set: set, $push: { statusHistory: { from, to, reason, at: now } } }, ...events),
    );
    if (result.matchedCount === 0) continue; // changed meanwhile: decide again on the fresh state
    ctx.relay.nudge();
    await releaseWhatItNoLongerHolds(ctx, booking, to);
    return { ...booking, ...set, updatedAt: now };
  }
  throw errors.conflict('BOOKING_CHANGED', 'The booking was changed by another request; retry.');
}

async function releaseWhatItNoLongerHolds(ctx: Ctx, booking: BookingDoc, to: BookingStatus | 'deleted'): Promise<void> {
  const hold = { garageId: booking.garageId, date: booking.date, timeslot: booking.timeslot ?? null };
  if (to === 'deleted' || !holdsCapacity(to)) await ctx.capacity.releaseHold(hold, booking._id);
  if (to === 'deleted' || !isActive(to)) await ctx.capacity.unlockVehicle(booking.garageId, booking.vehicleId, booking._id);
}

/** Everything billing needs to invoice without calling back. */
async function completedEvent(ctx: Ctx, tenant: GarageTenant, booking: BookingDoc, completedAt: Date) {
  const { models } = ctx;
  const [customer, vehicle, technician] = await Promise.all([
    models.Customer.findOne({ _id: booking.customerId, garageId: tenant.garageId }).lean(),
    models.Vehicle.findOne({ _id: booking.vehicleId, garageId: tenant.garageId }).lean(),
    booking.technicianId ? models.Technician.findOne({ _id: booking.technicianId, garageId: tenant.garageId }).lean() : null,
  ]);
  if (!customer || !vehicle) throw errors.conflict('BOOKING_INCOMPLETE', 'The booking refers to a customer or vehicle that no longer exists.');
  return bookingsEvent(tenant, 'booking.completed', {
    booking: bookingSummary(booking),
    completedAt: completedAt.toISOString(),
    completedOn: todayIn(tenant.timezone, completedAt),
    currency: tenant.currency !== 'XXX' ? tenant.currency : booking.currency,
    customer: customerSnapshot(customer),
    vehicle: vehicleSnapshot(vehicle),
    technician: technician ? { id: technician._id, name: technician.name } : null,
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
      status: p.status as 'pending' | 'reserved' | 'backordered',
    })),
  });
}

/** DELETE: only before the vehicle arrived. Soft delete, so the booking.deleted event has a document
 * to travel in and the reconciler can tell a deleted booking from one still being created. */
export async function deleteBooking(ctx: Ctx, tenant: GarageTenant, bookingId: string): Promise<void> {
  const booking = await requireBooking(ctx.models, tenant.garageId, bookingId);
  if (!canDelete(booking.status as BookingStatus)) {
    throw errors.conflict('BOOKING_NOT_DELETABLE', `A ${booking.status} booking cannot be deleted; only pending or confirmed ones.`, {
      status: booking.status,
      deletableStatuses: ['pending', 'confirmed'],
    });
  }
  const result = await ctx.models.Booking.updateOne(
    { _id: bookingId, garageId: tenant.garageId, status: booking.status, date: booking.date, timeslot: booking.timeslot ?? null, deletedAt: null },
    withEvents<BookingDoc>({ $set: { deletedAt: new Date() } }, bookingsEvent(tenant, 'booking.deleted', { booking: bookingSummary(booking) })),
  );
  if (result.matchedCount === 0) return deleteBooking(ctx, tenant, bookingId);
  ctx.relay.nudge();
  await releaseWhatItNoLongerHolds(ctx, booking, 'deleted');
}
