import { timestampFilter, type TimestampRange } from '@pitlane/core';
import { announceOutbox, withEvents, type EventEnvelope } from '@pitlane/events';

import type { CreditNote, CreditNoteRef, CreditReservation } from '../domain/credit-note';
import type { Invoice } from '../domain/invoice';
import type { Settlement } from '../domain/settlement';
import type { CreditNoteDoc } from './credit-note.model';
import type { InvoiceDoc } from './invoice.model';
import type { Models } from './models';
import { insertWithNextNumber, type NumberedInsert } from './numbering';
import { unchangedSettlement } from './settlement-filter';

export interface CreditNoteQuery extends TimestampRange {
  garageId: string;
  invoiceId?: string;
  customerId?: string;
  dateFrom?: string;
  dateTo?: string;
  sort: Record<string, 1 | -1>;
  skip: number;
  limit: number;
}

export type InvoiceCreditChange = Pick<Invoice, 'status' | 'balance' | 'creditedTotal' | 'creditedLines'> & Partial<Pick<Invoice, 'paidAt'>>;

/**
 * A credit note is written in two steps, because its limit lives on the invoice and its number on its
 * own document (no transactions): 1. `reserveIfUnchanged` — one guarded update of the invoice takes the
 * credit (new figures, the reservation in `pendingCredits`); 2. `insertNumbered` + `completeReservation`
 * — the numbered document (with credit_note.created in its outbox) is inserted under the reservation's
 * id, then the reservation moves to `creditNotes`. A crash between them leaves a reservation that any
 * later credit note of the invoice, or the sweep, rolls forward: the number is only taken by the insert.
 */
export interface CreditNoteRepository {
  reserveIfUnchanged(decidedOn: Pick<Invoice, '_id' | 'garageId'> & Settlement, reservation: CreditReservation, set: InvoiceCreditChange, events: EventEnvelope[]): Promise<boolean>;
  /** `{ inserted: false }` when the document of this reservation exists already (completed elsewhere). */
  insertNumbered(key: { garageId: string; year: number; id: string }, build: (seq: number) => { creditNote: CreditNote; events: EventEnvelope[] }): Promise<NumberedInsert>;
  /** moves the reservation to the invoice's numbered credit notes (once: the filter needs it pending) */
  completeReservation(invoice: Pick<Invoice, '_id' | 'garageId'>, reservationId: string, ref: CreditNoteRef): Promise<void>;
  find(garageId: string, id: string): Promise<CreditNote | null>;
  list(query: CreditNoteQuery): Promise<{ items: CreditNote[]; total: number }>;
  /** invoices with a reservation older than `before` (the sweep's work) */
  withStaleReservations(before: Date, limit: number): Promise<{ _id: string; garageId: string }[]>;
}

export function creditNoteRepository(models: Pick<Models, 'Invoice' | 'CreditNote' | 'Counter'>): CreditNoteRepository {
  const find = (garageId: string, id: string) => models.CreditNote.findOne({ _id: id, garageId }).lean<CreditNoteDoc>().exec();
  return {
    reserveIfUnchanged: async (decidedOn, reservation, set, events) => {
      const update = { $set: set, $push: { pendingCredits: reservation } };
      const result = await models.Invoice.updateOne(
        unchangedSettlement(decidedOn),
        events.length > 0 ? withEvents<InvoiceDoc>(update, ...events) : update,
      );
      return result.matchedCount === 1;
    },

    insertNumbered: ({ garageId, year, id }, build) =>
      insertWithNextNumber({
        counters: models.Counter,
        counterId: `${garageId}:CN:${year}`,
        // a duplicate on _id: this reservation was completed by someone else, nothing to do
        alreadyExists: async () => (await models.CreditNote.exists({ _id: id, garageId })) !== null,
        insert: async (seq) => {
          const { creditNote, events } = build(seq);
          await models.CreditNote.collection.insertOne({ ...creditNote, updatedAt: creditNote.createdAt, outbox: events } as never);
          announceOutbox(models.CreditNote, creditNote._id); // a driver write: mongoose's hooks did not see it
        },
      }),

    completeReservation: async (invoice, reservationId, ref) => {
      await models.Invoice.updateOne(
        { _id: invoice._id, garageId: invoice.garageId, 'pendingCredits.id': reservationId },
        { $pull: { pendingCredits: { id: reservationId } }, $push: { creditNotes: ref } },
      );
    },

    find,

    list: async (query) => {
      const filter: Record<string, unknown> = { garageId: query.garageId, ...timestampFilter(query) };
      if (query.invoiceId) filter.invoiceId = query.invoiceId;
      if (query.customerId) filter.customerId = query.customerId;
      if (query.dateFrom || query.dateTo) {
        filter.issueDate = { ...(query.dateFrom ? { $gte: query.dateFrom } : {}), ...(query.dateTo ? { $lte: query.dateTo } : {}) };
      }
      const [items, total] = await Promise.all([
        models.CreditNote.find(filter).sort({ ...query.sort, _id: 1 }).skip(query.skip).limit(query.limit).lean<CreditNoteDoc[]>().exec(),
        models.CreditNote.countDocuments(filter).exec(),
      ]);
      return { items, total };
    },

    withStaleReservations: async (before, limit) =>
      models.Invoice.find({ 'pendingCredits.createdAt': { $lt: before } }, { _id: 1, garageId: 1 }).limit(limit).lean<{ _id: string; garageId: string }[]>().exec(),
  };
}
