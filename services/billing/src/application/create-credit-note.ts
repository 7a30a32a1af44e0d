import { randomUUID } from 'node:crypto';

import { errors, todayIn } from '@pitlane/core';
import { createEvent, type EventEnvelope } from '@pitlane/events';

import { decideCredit, type CreditDecision, type CreditNote, type CreditRequestLine, type CreditReservation } from '../domain/credit-note';
import type { Invoice } from '../domain/invoice';
import { balanceOf, settlementOf, statusOf } from '../domain/settlement';
import { invoiceSummaryOf } from '../domain/summaries';
import { completeCreditNote } from './complete-credit-note';
import type { Tenant, UseCaseDeps } from './deps';

export interface CreditNoteInput {
  reason: string;
  /** null: everything still creditable on the invoice */
  lines: CreditRequestLine[] | null;
  idempotencyKey: string | null;
}

const MAX_ATTEMPTS = 25;

/**
 * A credit note against an invoice, never more than invoiced less earlier credit: the credit is taken by
 * ONE guarded update of the invoice (pinned on the figures it was decided on; a concurrent change makes
 * it miss and it decides again), then the document gets its gap-free CN number (complete-credit-note).
 */
export function createCreditNote(deps: Pick<UseCaseDeps, 'invoices' | 'creditNotes' | 'outbox' | 'logger'>) {
  const complete = completeCreditNote(deps);
  return async (tenant: Tenant, invoiceId: string, input: CreditNoteInput): Promise<{ creditNote: CreditNote; invoice: Invoice; replayed: boolean }> => {
    const fingerprint = JSON.stringify({ reason: input.reason, lines: input.lines });
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const invoice = await deps.invoices.find(tenant.garageId, invoiceId);
      if (!invoice) throw errors.notFound('Invoice');
      // an earlier writer died between its two steps: finish its credit note before deciding on ours
      if (invoice.pendingCredits.length > 0) {
        for (const reservation of invoice.pendingCredits) await complete(invoice, reservation);
        continue;
      }
      const earlier = input.idempotencyKey ? invoice.creditNotes.find((note) => note.idempotencyKey === input.idempotencyKey) : undefined;
      if (earlier) {
        if (earlier.fingerprint !== fingerprint) {
          throw errors.conflict('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used for a different credit note on this invoice.');
        }
        const creditNote = await deps.creditNotes.find(tenant.garageId, earlier.id);
        if (creditNote) return { creditNote, invoice, replayed: true };
      }
      const decision = decideCredit(invoice, input.lines);
      if (!decision.ok) throw refusal(decision, invoice);

      const now = new Date();
      const issueDate = todayIn(tenant.timezone, now);
      const reservation: CreditReservation = {
        id: randomUUID(),
        reason: input.reason,
        issueDate,
        year: Number(issueDate.slice(0, 4)),
        lines: decision.lines,
        netTotal: decision.netTotal,
        taxTotal: decision.taxTotal,
        total: decision.total,
        createdAt: now,
        idempotencyKey: input.idempotencyKey,
        fingerprint,
      };
      const before = settlementOf(invoice);
      const next = { ...before, creditedTotal: before.creditedTotal + decision.total };
      const status = statusOf(next);
      // a credit can settle what was left to pay: that is the invoice being paid, once
      const paidNow = status === 'paid' && before.status !== 'paid';
      const set = { status, balance: balanceOf(next), creditedTotal: next.creditedTotal, creditedLines: decision.credited, ...(paidNow ? { paidAt: now } : {}) };
      const after: Invoice = { ...invoice, ...set, pendingCredits: [reservation] };
      const events: EventEnvelope[] = paidNow
        ? [createEvent('billing', { organisationId: invoice.organisationId, garageId: invoice.garageId, type: 'invoice.paid', data: { invoice: invoiceSummaryOf(after, after), paidAt: now.toISOString() } })]
        : [];
      if (await deps.creditNotes.reserveIfUnchanged({ ...invoice, ...before }, reservation, set, events)) {
        const creditNote = await complete(after, reservation);
        const ref = { id: creditNote._id, number: creditNote.number, issueDate, reason: input.reason, total: decision.total, idempotencyKey: input.idempotencyKey, fingerprint };
        return { creditNote, invoice: { ...after, pendingCredits: [], creditNotes: [...invoice.creditNotes, ref] }, replayed: false };
      }
    }
    throw errors.conflict('CONCURRENT_UPDATE', 'The invoice is being changed by other requests; retry the credit note.');
  };
}

function refusal(decision: Exclude<CreditDecision, { ok: true }>, invoice: Invoice) {
  switch (decision.code) {
    case 'INVOICE_NOT_CREDITABLE':
      return errors.conflict('INVOICE_NOT_CREDITABLE', `Invoice ${invoice.number} is ${invoice.status} and cannot be credited.`, { status: invoice.status });
    case 'UNKNOWN_LINE':
      return errors.validation('The body is invalid.', [{ field: 'lines', message: `invoice ${invoice.number} has no line ${decision.lineId}` }]);
    case 'CREDIT_EXCEEDS_INVOICE':
      return errors.conflict('CREDIT_EXCEEDS_INVOICE', `The credit exceeds what is left to credit on invoice ${invoice.number}.`, {
        lineId: decision.lineId,
        quantity: decision.quantity,
        creditable: decision.creditable,
        creditedTotal: invoice.creditedTotal,
        total: invoice.total,
        currency: invoice.currency,
      });
  }
}
