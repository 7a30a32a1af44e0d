import { createEvent } from '@pitlane/events';

import { creditNoteNumber, type CreditNote, type CreditReservation } from '../domain/credit-note';
import type { Invoice } from '../domain/invoice';
import { creditNoteSummaryOf, invoiceSummaryOf } from '../domain/summaries';
import type { UseCaseDeps } from './deps';

/**
 * Step 2 of a credit note (step 1, the reservation on the invoice, is in create-credit-note): the numbered
 * document, with credit_note.created in the same insert, then the invoice lists it. Safe to run twice
 * or concurrently for one reservation (the document's _id is the reservation's id), which is what lets
 * a later request or the sweep roll forward a reservation whose writer died.
 */
export function completeCreditNote({ creditNotes, outbox, logger }: Pick<UseCaseDeps, 'creditNotes' | 'outbox' | 'logger'>) {
  return async (invoice: Invoice, reservation: CreditReservation): Promise<CreditNote> => {
    const { garageId, organisationId } = invoice;
    const result = await creditNotes.insertNumbered({ garageId, year: reservation.year, id: reservation.id }, (seq) => {
      const { id, ...rest } = reservation;
      const creditNote: CreditNote = {
        ...rest,
        _id: id,
        garageId,
        organisationId,
        number: creditNoteNumber(reservation.year, seq),
        seq,
        invoiceId: invoice._id,
        invoiceNumber: invoice.number,
        customerId: invoice.customerId,
        customer: invoice.customer,
        currency: invoice.currency,
      };
      const data = { creditNote: creditNoteSummaryOf(creditNote), invoice: invoiceSummaryOf(invoice, invoice) };
      return { creditNote, events: [createEvent('billing', { organisationId, garageId, type: 'credit_note.created', data })] };
    });
    const creditNote = await creditNotes.find(garageId, reservation.id);
    if (!creditNote) throw new Error(`credit note ${reservation.id} is missing after its insert`);
    const { id, issueDate, reason, total, idempotencyKey, fingerprint } = { ...reservation, id: creditNote._id };
    await creditNotes.completeReservation(invoice, id, { id, number: creditNote.number, issueDate, reason, total, idempotencyKey, fingerprint });
    if (result.inserted) {
      outbox.nudge();
      logger.info({ invoiceId: invoice._id, creditNoteNumber: creditNote.number, garageId }, 'credit note created');
    }
    return creditNote;
  };
}

/** Rolls forward the reservations of invoices whose writer died before numbering them. */
export function sweepPendingCredits(deps: Pick<UseCaseDeps, 'creditNotes' | 'invoices' | 'outbox' | 'logger'>) {
  const complete = completeCreditNote(deps);
  return async (olderThanMs: number): Promise<number> => {
    let completed = 0;
    for (const ref of await deps.creditNotes.withStaleReservations(new Date(Date.now() - olderThanMs), 100)) {
      const invoice = await deps.invoices.find(ref.garageId, ref._id);
      for (const reservation of invoice?.pendingCredits ?? []) {
        if (invoice) await complete(invoice, reservation);
        completed++;
      }
    }
    return completed;
  };
}
