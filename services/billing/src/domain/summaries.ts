import type { creditNoteSummary, estimateSummary, invoiceSummary } from '@pitlane/contracts';
import type { z } from 'zod';

import type { CreditNote } from './credit-note';
import type { EstimateStatus } from './estimate';
import type { InvoiceStatus } from './invoice';

/** The `invoice` of billing's events (libs/contracts/src/billing.ts), from whatever state the caller
 * will have written: events describe the state AFTER their change. */
export function invoiceSummaryOf(
  invoice: {
    _id: string;
    number: string;
    source?: 'booking' | 'manual';
    bookingId: string | null;
    customerId: string;
    total: number;
    currency: string;
    amountRefunded?: number;
    creditedTotal?: number;
  },
  state: { status: InvoiceStatus; amountPaid: number; amountRefunded?: number; creditedTotal?: number },
): z.infer<typeof invoiceSummary> {
  return {
    invoiceId: invoice._id,
    number: invoice.number,
    bookingId: invoice.bookingId,
    customerId: invoice.customerId,
    status: state.status,
    total: invoice.total,
    amountPaid: state.amountPaid,
    currency: invoice.currency,
    source: invoice.source ?? 'booking',
    amountRefunded: state.amountRefunded ?? invoice.amountRefunded ?? 0,
    creditedTotal: state.creditedTotal ?? invoice.creditedTotal ?? 0,
  };
}

/** The `creditNote` of credit_note.created. */
export function creditNoteSummaryOf(creditNote: CreditNote): z.infer<typeof creditNoteSummary> {
  return {
    creditNoteId: creditNote._id,
    number: creditNote.number,
    invoiceId: creditNote.invoiceId,
    invoiceNumber: creditNote.invoiceNumber,
    customerId: creditNote.customerId,
    reason: creditNote.reason,
    issueDate: creditNote.issueDate,
    lines: creditNote.lines.map(({ lineId, description, quantity, net, tax, total }) => ({ lineId, description, quantity, net, tax, total })),
    taxTotal: creditNote.taxTotal,
    total: creditNote.total,
    currency: creditNote.currency,
  };
}

export function estimateSummaryOf(
  estimate: { _id: string; number: string; customerId: string; total: number; currency: string },
  status: EstimateStatus,
): z.infer<typeof estimateSummary> {
  return {
    estimateId: estimate._id,
    number: estimate.number,
    customerId: estimate.customerId,
    status,
    total: estimate.total,
    currency: estimate.currency,
  };
}
