import type { estimateSummary, invoiceSummary } from '@pitlane/contracts';
import type { z } from 'zod';

import type { EstimateStatus } from './estimate';
import type { InvoiceStatus } from './invoice';

/** The `invoice` of billing's events (libs/contracts/src/billing.ts), from whatever state the caller
 * will have written: events describe the state AFTER their change. */
export function invoiceSummaryOf(
  invoice: { _id: string; number: string; bookingId: string; customerId: string; total: number; currency: string },
  state: { status: InvoiceStatus; amountPaid: number },
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
