import { timestampFilter, type TimestampRange } from '@pitlane/core';
import { announceOutbox, withEvents, type EventEnvelope } from '@pitlane/events';

import { noCreditYet, type Invoice } from '../domain/invoice';
import type { InvoiceDoc } from './invoice.model';
import type { Models } from './models';
import { failedIndexOf, insertGroupedWithNextNumber, type NumberedInsert, type OrderedInsert } from './numbering';

export interface InvoiceQuery extends TimestampRange {
  garageId: string;
  status?: string[];
  customerId?: string;
  bookingId?: string;
  source?: 'booking' | 'manual';
  dateFrom?: string;
  dateTo?: string;
  sort: Record<string, 1 | -1>;
  skip: number;
  limit: number;
}

/** What a new invoice is written with: the document and the events that announce it (its outbox). */
export type NewInvoice = { invoice: Omit<Invoice, 'createdAt' | 'updatedAt'>; events: EventEnvelope[] };

export interface InvoiceRepository {
  /**
   * Inserts the invoice of a booking under the next free number of its garage and year (gap-free: see
   * numbering.ts), its events in the same insert. `{ inserted: false }` when the booking already has
   * its invoice: the unique (garageId, bookingId) index decides, and the duplicate takes no number.
   */
  insertNumbered(key: { garageId: string; year: number; bookingId: string }, build: (seq: number) => NewInvoice): Promise<NumberedInsert>;
  /**
   * Inserts a manual invoice (a counter sale) under the next number. `sourceKey` (the client's
   * Idempotency-Key, else the invoice id) takes the booking's place in the unique (garageId, bookingId)
   * index, so a retried sale ends on that key: `{ inserted: false, existingId }`.
   */
  insertManual(key: { garageId: string; year: number; sourceKey: string }, build: (seq: number) => NewInvoice): Promise<NumberedInsert & { existingId?: string }>;
  find(garageId: string, invoiceId: string): Promise<Invoice | null>;
  list(query: InvoiceQuery): Promise<{ items: Invoice[]; total: number }>;
  /** Voids it with its event in one update, only while it is still issued without payments; false
   * when it no longer is (a payment or another void won the race). */
  voidIfUnpaid(invoice: Pick<Invoice, '_id' | 'garageId'>, set: Pick<Invoice, 'status' | 'balance' | 'voidedAt' | 'voidReason'>, events: EventEnvelope[]): Promise<boolean>;
}

const MANUAL_PREFIX = 'manual:';

/** The stored document as the domain sees it: a manual invoice's source key is no booking, and
 * invoices stored before refunds and credit notes existed read as having none. */
function fromDoc(doc: InvoiceDoc): Invoice {
  const manual = doc.source === 'manual' || (doc.bookingId ?? '').startsWith(MANUAL_PREFIX);
  return {
    ...noCreditYet(),
    ...doc,
    source: manual ? 'manual' : 'booking',
    bookingId: manual ? null : doc.bookingId,
    amountRefunded: doc.amountRefunded ?? 0,
    creditedTotal: doc.creditedTotal ?? 0,
  };
}

function toDoc(invoice: NewInvoice['invoice'], events: EventEnvelope[], sourceKey?: string) {
  return { ...invoice, ...(sourceKey ? { bookingId: `${MANUAL_PREFIX}${sourceKey}` } : {}), outbox: events };
}

export function invoiceRepository(models: Pick<Models, 'Invoice' | 'Counter'>): InvoiceRepository {
  /** The one writer of every invoice sequence (numbering.ts groups the invoices waiting for a number
   * into one ordered insert). A driver write, as for estimates and credit notes: hydrating each
   * invoice as a mongoose document cost more CPU than everything else the invoice needs; so this
   * hands the written documents' events to the relay itself (up to a failed one: ordered). */
  const insertOrdered: OrderedInsert = async (documents) => {
    const written = (count: number) => {
      for (const doc of documents.slice(0, count)) announceOutbox(models.Invoice, (doc as { _id: string })._id);
    };
    try {
      await models.Invoice.collection.insertMany(documents as never[], { ordered: true });
    } catch (error) {
      const failedAt = failedIndexOf(error);
      if (failedAt !== undefined) written(failedAt);
      throw error;
    }
    written(documents.length);
  };
  /** The invoice as stored: the domain's Invoice is complete but for these (the schema's defaults). */
  const document = (invoice: NewInvoice['invoice'], events: EventEnvelope[], sourceKey?: string): Promise<object> => {
    const now = new Date();
    return Promise.resolve({ ...toDoc(invoice, events, sourceKey), notes: invoice.notes ?? null, createdAt: now, updatedAt: now });
  };

  return {
    insertNumbered: ({ garageId, year, bookingId }, build) =>
      insertGroupedWithNextNumber({
        counters: models.Counter,
        counterId: `${garageId}:INV:${year}`,
        insertOrdered,
        // no look-up first: the insert's unique key answers "already invoiced" for free in the common case
        alreadyExists: async () => (await models.Invoice.exists({ garageId, bookingId })) !== null,
        document: (seq) => {
          const { invoice, events } = build(seq);
          return document(invoice, events);
        },
      }),

    insertManual: async ({ garageId, year, sourceKey }, build) => {
      const bookingId = `${MANUAL_PREFIX}${sourceKey}`;
      const result = await insertGroupedWithNextNumber({
        counters: models.Counter,
        counterId: `${garageId}:INV:${year}`,
        insertOrdered,
        alreadyExists: async () => (await models.Invoice.exists({ garageId, bookingId })) !== null,
        document: (seq) => {
          const { invoice, events } = build(seq);
          return document(invoice, events, sourceKey);
        },
      });
      if (result.inserted) return result;
      const existing = await models.Invoice.findOne({ garageId, bookingId }, { _id: 1 }).lean<{ _id: string }>().exec();
      return { inserted: false, ...(existing ? { existingId: existing._id } : {}) };
    },

    find: async (garageId, invoiceId) => {
      const doc = await models.Invoice.findOne({ _id: invoiceId, garageId }).lean<InvoiceDoc>().exec();
      return doc ? fromDoc(doc) : null;
    },

    list: async (query) => {
      const filter: Record<string, unknown> = { garageId: query.garageId, ...timestampFilter(query) };
      if (query.status) filter.status = { $in: query.status };
      if (query.customerId) filter.customerId = query.customerId;
      if (query.bookingId) filter.bookingId = query.bookingId;
      if (query.source) filter.source = query.source === 'booking' ? { $in: ['booking', null] } : query.source;
      if (query.dateFrom || query.dateTo) {
        filter.issueDate = { ...(query.dateFrom ? { $gte: query.dateFrom } : {}), ...(query.dateTo ? { $lte: query.dateTo } : {}) };
      }
      const [items, total] = await Promise.all([
        // _id breaks ties so pages never overlap
        models.Invoice.find(filter).sort({ ...query.sort, _id: 1 }).skip(query.skip).limit(query.limit).lean<InvoiceDoc[]>().exec(),
        models.Invoice.countDocuments(filter).exec(),
      ]);
      return { items: items.map(fromDoc), total };
    },

    voidIfUnpaid: async (invoice, set, events) => {
      const result = await models.Invoice.updateOne(
        { _id: invoice._id, garageId: invoice.garageId, status: 'issued', amountPaid: 0, creditedTotal: { $in: [0, null] } },
        withEvents<InvoiceDoc>({ $set: set }, ...events),
      );
      return result.matchedCount === 1;
    },
  };
}
