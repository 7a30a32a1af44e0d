import { randomUUID } from 'node:crypto';

import type { EventData } from '@pitlane/contracts';
import { createEvent, type EventEnvelope } from '@pitlane/events';

import { invoiceNumber, linesFromBooking } from '../domain/invoice';
import { invoiceSummaryOf } from '../domain/summaries';
import type { InvoiceDoc } from './invoice-model';
import type { Models } from './models';
import { insertWithNextNumber } from './numbering';

type BookingCompleted = EventEnvelope<EventData<'booking.completed'>>;

/**
 * The invoice of a completed booking, from the event alone. Exactly one per booking whoever delivers
 * the event how often: the unique (garageId, bookingId) index decides, and the number is taken by the
 * same insert (see numbering.ts), together with invoice.created in the document's outbox. A duplicate
 * insert fails on either key, and takes no number with it.
 */
export async function createInvoiceFromBooking(
  models: Pick<Models, 'Invoice' | 'Counter'>,
  event: BookingCompleted,
): Promise<{ outcome: 'handled'; number: string } | { outcome: 'duplicate' }> {
  const { data } = event;
  const garageId = event.garageId;
  if (!garageId) throw new Error('booking.completed without a garageId cannot be invoiced');
  const bookingId = data.booking.bookingId;
  // no look-up first: the insert's unique key answers "already invoiced" for free in the common case
  const alreadyExists = async () => (await models.Invoice.exists({ garageId, bookingId })) !== null;

  const { lines, totals } = linesFromBooking(data);
  // the completion date in the garage's time zone; events from before that field fall back to UTC
  const issueDate = data.completedOn ?? data.completedAt.slice(0, 10);
  const year = Number(issueDate.slice(0, 4));
  const id = randomUUID();
  const status = totals.total === 0 ? 'paid' : 'issued';
  const completedAt = new Date(data.completedAt);

  const result = await insertWithNextNumber({
    counters: models.Counter,
    counterId: `${garageId}:INV:${year}`,
    alreadyExists,
    insert: (seq) => {
      const number = invoiceNumber(year, seq);
      const base = { _id: id, number, bookingId, customerId: data.customer.id, total: totals.total, currency: data.currency };
      const summary = invoiceSummaryOf(base, { status, amountPaid: 0 });
      const meta = { organisationId: event.organisationId, garageId };
      const outbox = [createEvent('billing', { ...meta, type: 'invoice.created', data: { invoice: summary } })];
      if (status === 'paid') {
        outbox.push(createEvent('billing', { ...meta, type: 'invoice.paid', data: { invoice: summary, paidAt: data.completedAt } }));
      }
      const doc: Omit<InvoiceDoc, 'createdAt' | 'updatedAt'> & { outbox: EventEnvelope[] } = {
        ...base,
        garageId,
        organisationId: event.organisationId,
        year,
        seq,
        bookingNumber: data.booking.number,
        customer: { firstName: data.customer.firstName, lastName: data.customer.lastName, email: data.customer.email, phone: data.customer.phone },
        vehicleId: data.vehicle.id,
        vehicle: { make: data.vehicle.make, model: data.vehicle.model, year: data.vehicle.year, registration: data.vehicle.registration, vin: data.vehicle.vin },
        technician: data.technician,
        issueDate,
        completedAt,
        lines,
        ...totals,
        amountPaid: 0,
        balance: totals.total,
        status,
        payments: [],
        paidAt: status === 'paid' ? completedAt : null,
        voidedAt: null,
        voidReason: null,
        outbox,
      };
      return models.Invoice.create(doc);
    },
  });
  return result.inserted ? { outcome: 'handled', number: invoiceNumber(year, result.seq) } : { outcome: 'duplicate' };
}

export function findInvoice(models: Pick<Models, 'Invoice'>, garageId: string, invoiceId: string): Promise<InvoiceDoc | null> {
  return models.Invoice.findOne({ _id: invoiceId, garageId }).lean<InvoiceDoc>().exec();
}

export interface InvoiceQuery {
  garageId: string;
  status?: string[];
  customerId?: string;
  bookingId?: string;
  dateFrom?: string;
  dateTo?: string;
  sort: Record<string, 1 | -1>;
  skip: number;
  limit: number;
}

export async function listInvoices(models: Pick<Models, 'Invoice'>, query: InvoiceQuery): Promise<{ items: InvoiceDoc[]; total: number }> {
  const filter: Record<string, unknown> = { garageId: query.garageId };
  if (query.status) filter.status = { $in: query.status };
  if (query.customerId) filter.customerId = query.customerId;
  if (query.bookingId) filter.bookingId = query.bookingId;
  if (query.dateFrom || query.dateTo) {
    filter.issueDate = { ...(query.dateFrom ? { $gte: query.dateFrom } : {}), ...(query.dateTo ? { $lte: query.dateTo } : {}) };
  }
  const [items, total] = await Promise.all([
    // _id breaks ties so pages never overlap
    models.Invoice.find(filter).sort({ ...query.sort, _id: 1 }).skip(query.skip).limit(query.limit).lean<InvoiceDoc[]>().exec(),
    models.Invoice.countDocuments(filter).exec(),
  ]);
  return { items, total };
}
