import { eventSchemas } from '@pitlane/contracts';
import type { EventBus, OutboxRelay } from '@pitlane/events';

import { createInvoiceFromBooking } from '../../data-access/invoice-repository';
import type { Models } from '../../data-access/models';

/** booking.completed → the booking's invoice (exactly one, however often and wherever the event is
 * delivered: see createInvoiceFromBooking), published as invoice.created through the outbox. */
export function subscribeBookingCompleted(bus: EventBus, models: Models, relay: OutboxRelay): void {
  bus.subscribe('booking.completed', eventSchemas['booking.completed'], async (event) => {
    const outcome = await createInvoiceFromBooking(models, event);
    if (outcome === 'handled') relay.nudge();
    return outcome;
  });
}
