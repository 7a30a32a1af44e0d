import type { EventData } from '@pitlane/contracts';

import type { UseCaseDeps } from './deps';

type InvoiceSummary = EventData<'invoice.created'>['invoice'];

/** A vehicle's service history: completed bookings with the invoice billing made for each. */
export class History {
  constructor(private readonly deps: UseCaseDeps) {}

  /** invoice.created / paid / voided: the booking keeps the newest summary (by occurredAt), so a late
   * or redelivered event changes nothing (false). Invoices not made from a booking are not kept. */
  async recordInvoice(garageId: string | null | undefined, invoice: InvoiceSummary, occurredAt: string): Promise<boolean> {
    if (!garageId || !invoice.bookingId) return false;
    const { invoiceId, number, status, total, amountPaid, currency } = invoice;
    return this.deps.repos.bookingHistory.recordInvoice(garageId, invoice.bookingId, { invoiceId, number, status, total, amountPaid, currency, sourceOccurredAt: occurredAt });
  }
}
