import { eventSchemas } from '@pitlane/contracts';
import type { EventBus } from '@pitlane/events';

import type { BillingContext } from '../../service';

/** booking.completed → the booking's invoice (exactly one, however often the event is delivered),
 * announced by invoice.created through the outbox: see application/invoice-completed-booking.ts. */
export function subscribeBookingCompleted(bus: EventBus, ctx: BillingContext): void {
  bus.subscribe('booking.completed', eventSchemas['booking.completed'], (event) => ctx.useCases.invoiceCompletedBooking(event));
}
