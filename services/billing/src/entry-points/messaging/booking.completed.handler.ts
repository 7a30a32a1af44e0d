import { eventSchemas } from '@pitlane/contracts';
import type { Logger } from '@pitlane/core';
import type { EventBus, OutboxRelay } from '@pitlane/events';

import { createInvoiceFromBooking } from '../../data-access/invoice-repository';
import type { Models } from '../../data-access/models';
import { upsertCustomer, upsertVehicle } from '../../data-access/read-models';

/** booking.completed → the booking's invoice (exactly one, however often and wherever the event is
 * delivered: see createInvoiceFromBooking), published as invoice.created through the outbox. */
export function subscribeBookingCompleted(bus: EventBus, deps: { models: Models; relay: OutboxRelay; logger: Logger }): void {
  bus.subscribe('booking.completed', eventSchemas['booking.completed'], async (event) => {
    const result = await createInvoiceFromBooking(deps.models, event);
    const bookingId = event.data.booking.bookingId;
    if (result.outcome === 'handled') {
      deps.relay.nudge();
      deps.logger.info({ bookingId, invoiceNumber: result.number, garageId: event.garageId }, 'invoice created');
    } else {
      deps.logger.info({ bookingId }, 'booking already invoiced, duplicate delivery ignored');
    }
    // the event carries the customer and vehicle as they were: refresh the read models too (a copy
    // from a newer customer/vehicle event wins), which also fills them for customers billing never saw
    const source = { garageId: event.garageId as string, occurredAt: event.occurredAt };
    await Promise.all([
      upsertCustomer(deps.models.Customer, source, event.data.customer),
      upsertVehicle(deps.models.Vehicle, source, event.data.vehicle),
    ]);
    return result.outcome;
  });
}
