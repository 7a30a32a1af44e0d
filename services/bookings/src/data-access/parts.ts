import { errors } from '@pitlane/core';
import { withEvents } from '@pitlane/events';

import { isActive } from '../domain/booking-status';
import type { BookingStatus } from '../domain/types';
import type { BookingDoc } from './booking.model';
import type { Ctx } from './context';
import type { GarageTenant } from './create-booking';
import { bookingsEvent } from './events';
import { newId } from './ids';
import { requireBooking } from './lookups';

/**
 * A part line: refused at once (404) when the local read model does not know the item, priced from
 * it, stored as `pending` with booking.parts_assigned in the same write; inventory answers with
 * inventory.reserved or inventory.reservation_failed, which turn it `reserved` or `backordered`.
 */
export async function addPart(ctx: Ctx, tenant: GarageTenant, bookingId: string, input: { itemId: string; quantity: number }) {
  const booking = await requireBooking(ctx.models, tenant.garageId, bookingId);
  if (!isActive(booking.status as BookingStatus)) {
    throw errors.conflict('BOOKING_NOT_EDITABLE', `A ${booking.status} booking can no longer be changed.`, { status: booking.status });
  }
  const item = await ctx.models.InventoryItem.findById(`${tenant.garageId}|${input.itemId}`).lean();
  if (!item) throw errors.notFound('Inventory item');
  const now = new Date();
  const line = {
    lineId: newId('pl'),
    itemId: item.itemId,
    sku: item.sku,
    name: item.name,
    unitPrice: item.unitPrice,
    quantity: input.quantity,
    taxRate: 0,
    status: 'pending',
    createdAt: now,
    updatedAt: now,
  };
  const result = await ctx.models.Booking.updateOne(
    { _id: bookingId, garageId: tenant.garageId, status: booking.status, deletedAt: null },
    withEvents<BookingDoc>(
      { $push: { parts: line } },
      bookingsEvent(tenant, 'booking.parts_assigned', { bookingId, lineId: line.lineId, itemId: item.itemId, quantity: input.quantity }),
    ),
  );
  if (result.matchedCount === 0) throw errors.conflict('BOOKING_CHANGED', 'The booking was changed by another request; retry.');
  ctx.relay.nudge();
  return line;
}

export async function listParts(ctx: Ctx, garageId: string, bookingId: string) {
  return (await requireBooking(ctx.models, garageId, bookingId)).parts;
}
