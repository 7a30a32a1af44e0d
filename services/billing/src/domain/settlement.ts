import type { InvoiceStatus } from './invoice';

/** The money state of an invoice. amountPaid, amountRefunded and creditedTotal only ever grow, which
 * is what lets a guarded update pin them against lost updates (no ABA). */
export interface Settlement {
  status: InvoiceStatus;
  total: number;
  amountPaid: number;
  amountRefunded: number;
  creditedTotal: number;
}

/** What the customer still owes: what is invoiced less credit, less the money kept. Negative when the
 * garage owes money back (a credit note on a paid invoice, not yet refunded). */
export function balanceOf(s: Omit<Settlement, 'status'>): number {
  return s.total - s.creditedTotal - (s.amountPaid - s.amountRefunded);
}

/**
 * The status a settlement reads as, first match wins:
 * void stays void · fully credited → `credited` · any refund → `refunded` (every payment given back) or
 * `partially_refunded` · nothing owed → `paid` · some money in → `partially_paid` · else `issued`.
 */
export function statusOf(s: Settlement): InvoiceStatus {
  if (s.status === 'void') return 'void';
  if (s.total > 0 && s.creditedTotal >= s.total) return 'credited';
  if (s.amountRefunded > 0) return s.amountRefunded >= s.amountPaid ? 'refunded' : 'partially_refunded';
  if (balanceOf(s) <= 0) return 'paid';
  return s.amountPaid > 0 ? 'partially_paid' : 'issued';
}

/** Older invoices were stored before refunds and credit notes existed. */
export function settlementOf(invoice: { status: InvoiceStatus; total: number; amountPaid: number; amountRefunded?: number; creditedTotal?: number }): Settlement {
  return {
    status: invoice.status,
    total: invoice.total,
    amountPaid: invoice.amountPaid,
    amountRefunded: invoice.amountRefunded ?? 0,
    creditedTotal: invoice.creditedTotal ?? 0,
  };
}
