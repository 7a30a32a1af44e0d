import { eventSchemas } from '@pitlane/contracts';
import type { EventBus } from '@pitlane/events';

import type { InventoryContext } from '../../service';
import { bookingCancelledHandler } from './booking.cancelled.handler';
import { bookingCompletedHandler } from './booking.completed.handler';
import { bookingDeletedHandler } from './booking.deleted.handler';
import { partsAssignedHandler } from './booking.parts_assigned.handler';
import { bookingStatusChangedHandler } from './booking.status_changed.handler';
import { partsSoldHandler } from './sale.parts_sold.handler';

/** The bookings events inventory reacts to (reservations of parts). */
export function subscribeToBookings(bus: EventBus, ctx: InventoryContext): void {
  bus.subscribe('booking.parts_assigned', eventSchemas['booking.parts_assigned'], partsAssignedHandler(ctx));
  bus.subscribe('booking.completed', eventSchemas['booking.completed'], bookingCompletedHandler(ctx));
  bus.subscribe('booking.cancelled', eventSchemas['booking.cancelled'], bookingCancelledHandler(ctx));
  bus.subscribe('booking.deleted', eventSchemas['booking.deleted'], bookingDeletedHandler(ctx));
  bus.subscribe('booking.status_changed', eventSchemas['booking.status_changed'], bookingStatusChangedHandler(ctx));
}

/** The billing events inventory reacts to: parts sold on a manual invoice leave the shelf. */
export function subscribeToBilling(bus: EventBus, ctx: InventoryContext): void {
  bus.subscribe('sale.parts_sold', eventSchemas['sale.parts_sold'], partsSoldHandler(ctx));
}
