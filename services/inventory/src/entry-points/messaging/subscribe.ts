import { eventSchemas } from '@pitlane/contracts';
import type { EventBus } from '@pitlane/events';

import type { ItemWriter } from '../../data-access/item-writer';
import type { Models } from '../../data-access/models';
import { bookingCompletedHandler } from './booking.completed.handler';
import { partsAssignedHandler } from './booking.parts_assigned.handler';
import { bookingNoShowHandler, bookingReleasedHandler } from './booking.released.handler';

/** The bookings events inventory reacts to (reservations of parts). */
export function subscribeToBookings(bus: EventBus, models: Models, writer: ItemWriter): void {
  bus.subscribe('booking.parts_assigned', eventSchemas['booking.parts_assigned'], partsAssignedHandler(models, writer));
  bus.subscribe('booking.completed', eventSchemas['booking.completed'], bookingCompletedHandler(models, writer));
  bus.subscribe('booking.cancelled', eventSchemas['booking.cancelled'], bookingReleasedHandler(models, writer));
  bus.subscribe('booking.deleted', eventSchemas['booking.deleted'], bookingReleasedHandler(models, writer));
  bus.subscribe('booking.status_changed', eventSchemas['booking.status_changed'], bookingNoShowHandler(models, writer));
}
