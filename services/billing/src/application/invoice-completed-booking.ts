import { randomUUID } from 'node:crypto';

import type { EventData } from '@pitlane/contracts';
import { createEvent, type EventEnvelope } from '@pitlane/events';

import { invoiceFromBooking, invoiceNumber, issueDateOf } from '../domain/invoice';
import { invoiceSummaryOf } from '../domain/summaries';
import type { UseCaseDeps } from './deps';

export type BookingCompletedEvent = EventEnvelope<EventData<'booking.completed'>>;

/**
 * booking.completed → the booking's invoice, from the event alone: exactly one per booking however
 * often and wherever the event is delivered (the insert's unique keys decide), numbered gap-free, with
 * invoice.created (and invoice.paid for a zero total) in the same insert. The event's customer and
 * vehicle refresh billing's copies too, which fills them for customers billing never saw.
 */
export function invoiceCompletedBooking({ invoices, readModels, outbox, logger }: Pick<UseCaseDeps, 'invoices' | 'readModels' | 'outbox' | 'logger'>) {
  return async (event: BookingCompletedEvent): Promise<'handled' | 'duplicate'> => {
    const { garageId, organisationId, data } = event;
    if (!garageId) throw new Error('booking.completed without a garageId cannot be invoiced');
    const bookingId = data.booking.bookingId;
    const id = randomUUID();
    const { year } = issueDateOf(data);

    const result = await invoices.insertNumbered({ garageId, year, bookingId }, (seq) => {
      const invoice = invoiceFromBooking(data, { id, garageId, organisationId }, seq);
      const summary = invoiceSummaryOf(invoice, { status: invoice.status, amountPaid: 0 });
      const events = [createEvent('billing', { organisationId, garageId, type: 'invoice.created', data: { invoice: summary } })];
      if (invoice.status === 'paid') {
        events.push(createEvent('billing', { organisationId, garageId, type: 'invoice.paid', data: { invoice: summary, paidAt: data.completedAt } }));
      }
      return { invoice, events };
    });
    if (result.inserted) {
      outbox.nudge();
      logger.info({ bookingId, invoiceNumber: invoiceNumber(year, result.seq), garageId }, 'invoice created');
    } else {
      logger.info({ bookingId }, 'booking already invoiced, duplicate delivery ignored');
    }

    // a copy from a newer customer/vehicle event wins over the booking's snapshot
    const source = { garageId, occurredAt: event.occurredAt };
    await Promise.all([readModels.upsertCustomer(source, data.customer), readModels.upsertVehicle(source, data.vehicle)]);
    return result.inserted ? 'handled' : 'duplicate';
  };
}
