import type { PaymentEntry, PaymentMethod } from './invoice';
import { balanceOf, statusOf, type Settlement } from './settlement';

/** Money given back against one payment; it lives inside the invoice, next to the payments. */
export interface RefundEntry {
  id: string;
  paymentId: string;
  amount: number;
  method: PaymentMethod;
  reason: string | null;
  refundedAt: Date;
  /** refundedAt as a date in the garage's time zone */
  refundedOn: string;
  idempotencyKey: string | null;
  createdAt: Date;
}

export function refundedOf(refunds: RefundEntry[], paymentId: string): number {
  return refunds.filter((r) => r.paymentId === paymentId).reduce((sum, r) => sum + r.amount, 0);
}

export type RefundDecision =
  | { ok: true; settlement: Settlement & { balance: number }; refundedTotal: number }
  | { ok: false; code: 'PAYMENT_NOT_FOUND' }
  | { ok: false; code: 'REFUND_EXCEEDS_PAYMENT'; refundable: number };

/** A refund gives back at most what the payment brought in less its earlier refunds; the invoice's
 * balance grows by it (a credit note is what says the customer no longer owes it). */
export function decideRefund(
  invoice: Settlement & { payments: PaymentEntry[]; refunds: RefundEntry[] },
  paymentId: string,
  amount: number,
): RefundDecision {
  const payment = invoice.payments.find((p) => p.id === paymentId);
  if (!payment) return { ok: false, code: 'PAYMENT_NOT_FOUND' };
  const refundable = payment.amount - refundedOf(invoice.refunds, paymentId);
  if (amount > refundable) return { ok: false, code: 'REFUND_EXCEEDS_PAYMENT', refundable };
  const next = { ...invoice, amountRefunded: invoice.amountRefunded + amount };
  const settlement = { ...next, status: statusOf(next), balance: balanceOf(next) };
  return { ok: true, settlement: pickSettlement(settlement), refundedTotal: payment.amount - refundable + amount };
}

function pickSettlement(s: Settlement & { balance: number }): Settlement & { balance: number } {
  const { status, total, amountPaid, amountRefunded, creditedTotal, balance } = s;
  return { status, total, amountPaid, amountRefunded, creditedTotal, balance };
}
