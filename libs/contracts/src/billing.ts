import { z } from 'zod';

import { currency, money, timestamp } from './common';

/** Events the billing service publishes. Owned by the billing service. */
export const invoiceSummary = z.object({
  invoiceId: z.string(),
  number: z.string(),
  bookingId: z.string().nullable(),
  customerId: z.string(),
  status: z.enum(['issued', 'partially_paid', 'paid', 'void']),
  total: money,
  amountPaid: money,
  currency,
});

export const estimateSummary = z.object({
  estimateId: z.string(),
  number: z.string(),
  customerId: z.string(),
  status: z.enum(['draft', 'sent', 'approved', 'rejected', 'expired']),
  total: money,
  currency,
});

export const billingEvents = {
  'estimate.created': z.object({ estimate: estimateSummary }),
  'estimate.sent': z.object({ estimate: estimateSummary, expiresAt: timestamp.nullable() }),
  'estimate.approved': z.object({ estimate: estimateSummary }),
  'estimate.rejected': z.object({ estimate: estimateSummary, reason: z.string().nullable() }),
  'invoice.created': z.object({ invoice: invoiceSummary }),
  'invoice.paid': z.object({ invoice: invoiceSummary, paidAt: timestamp }),
  'invoice.voided': z.object({ invoice: invoiceSummary }),
  'payment.recorded': z.object({
    invoice: invoiceSummary,
    payment: z.object({ id: z.string(), amount: money, method: z.string(), paidAt: timestamp }),
  }),
} as const;
