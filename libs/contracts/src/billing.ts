import { z } from 'zod';

import { currency, money, timestamp } from './common';

/**
 * Events the billing service publishes. Owned by the billing service. Amounts are integers in the
 * currency's minor unit; every summary describes the state AFTER the change the event reports.
 */
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
  /** a draft was created (POST /estimates) */
  'estimate.created': z.object({ estimate: estimateSummary }),
  /** sent or re-sent: a new approval link, valid until expiresAt (the link itself is never in an event) */
  'estimate.sent': z.object({ estimate: estimateSummary, expiresAt: timestamp.nullable() }),
  /** the customer's answer through the public link (each estimate is answered at most once) */
  'estimate.approved': z.object({ estimate: estimateSummary }),
  'estimate.rejected': z.object({ estimate: estimateSummary, reason: z.string().nullable() }),
  /** one per completed booking (status issued; paid at once when the total is 0) */
  'invoice.created': z.object({ invoice: invoiceSummary }),
  /** once per invoice: the payment (or zero total) that brought the balance to 0 */
  'invoice.paid': z.object({ invoice: invoiceSummary, paidAt: timestamp }),
  'invoice.voided': z.object({ invoice: invoiceSummary, reason: z.string().nullable() }),
  /** every payment, including the one that also triggers invoice.paid */
  'payment.recorded': z.object({
    invoice: invoiceSummary,
    payment: z.object({
      id: z.string(),
      amount: money,
      method: z.enum(['cash', 'card', 'bank_transfer', 'cheque']),
      reference: z.string().nullable(),
      paidAt: timestamp,
    }),
  }),
} as const;
