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
  status: z.enum(['issued', 'partially_paid', 'paid', 'void', 'partially_refunded', 'refunded', 'credited']),
  total: money,
  amountPaid: money,
  currency,
  /** where the invoice comes from: a completed booking, or a counter sale (POST /invoices) */
  source: z.enum(['booking', 'manual']).optional(),
  /** money given back so far (refunds); amountPaid stays the gross amount received */
  amountRefunded: money.optional(),
  /** credit notes so far; the customer owes total − creditedTotal − (amountPaid − amountRefunded) */
  creditedTotal: money.optional(),
});

export const creditNoteSummary = z.object({
  creditNoteId: z.string(),
  /** `CN-2026-000001`: gap-free per garage and year, like invoice numbers */
  number: z.string(),
  invoiceId: z.string(),
  invoiceNumber: z.string(),
  customerId: z.string(),
  reason: z.string(),
  issueDate: z.string(),
  lines: z.array(
    z.object({ lineId: z.string(), description: z.string(), quantity: z.number(), net: money, tax: money, total: money }),
  ),
  taxTotal: money,
  total: money,
  currency,
});

/** A line of a counter sale that takes stock: inventory consumes these through its ledger. */
export const soldPartLine = z.object({
  lineId: z.string(),
  itemId: z.string(),
  sku: z.string().nullable(),
  description: z.string(),
  quantity: z.number().int().positive(),
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
  'estimate.sent': z.object({
    estimate: estimateSummary,
    expiresAt: timestamp.nullable(),
    /** who the approval e-mail goes to (null: nobody, the partner delivers the link itself) */
    to: z.string().nullable().optional(),
  }),
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
  /** a credit note against an invoice (its invoice summary already counts it) */
  'credit_note.created': z.object({ creditNote: creditNoteSummary, invoice: invoiceSummary }),
  /** money given back against one payment (never more than that payment less its earlier refunds) */
  'payment.refunded': z.object({
    invoice: invoiceSummary,
    payment: z.object({ id: z.string(), amount: money, method: z.enum(['cash', 'card', 'bank_transfer', 'cheque']), refundedTotal: money }),
    refund: z.object({
      id: z.string(),
      amount: money,
      method: z.enum(['cash', 'card', 'bank_transfer', 'cheque']),
      reason: z.string().nullable(),
      refundedAt: timestamp,
    }),
  }),
  /**
   * a manual invoice (counter sale, POST /invoices) sold parts from stock: one event per invoice, in the
   * same write as the invoice. Inventory takes `quantity` of each `itemId` through its ledger, idempotent
   * per (invoiceId, lineId). invoice.created (source 'manual') is published alongside.
   */
  'sale.parts_sold': z.object({
    invoiceId: z.string(),
    invoiceNumber: z.string(),
    customerId: z.string(),
    soldAt: timestamp,
    lines: z.array(soldPartLine).min(1),
  }),
} as const;
