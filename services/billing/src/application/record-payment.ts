import { randomUUID } from 'node:crypto';

import { errors, localDateOf } from '@pitlane/core';
import { createEvent, type EventEnvelope } from '@pitlane/events';

import { applyPayment, type Invoice, type PaymentEntry, type PaymentMethod } from '../domain/invoice';
import { invoiceSummaryOf } from '../domain/summaries';
import type { Tenant, UseCaseDeps } from './deps';

export interface PaymentInput {
  amount: number;
  method: PaymentMethod;
  reference: string | null;
  /** when the money was taken; now when the client does not say */
  paidAt: Date | null;
  /** the client's Idempotency-Key: a retried request returns the payment it already made */
  idempotencyKey: string | null;
}

/** Clock skew tolerated on a client's paidAt before it counts as "in the future". */
const PAID_AT_SKEW_MS = 5 * 60_000;
/** Compare-and-set attempts before a payment gives up under contention (each lost race means another
 * payment of the same invoice went through, so this bound is only reached by pathological bursts). */
const MAX_ATTEMPTS = 25;

/**
 * Records a payment as ONE guarded update of the invoice, decided on the balance it read: a concurrent
 * payment makes the write miss, and the loser reads and decides again. payment.recorded, and
 * invoice.paid when the balance reaches 0, are in the same write, so invoice.paid can only come from
 * the single update that took the balance to 0.
 */
export function recordPayment({ invoices, payments, outbox }: Pick<UseCaseDeps, 'invoices' | 'payments' | 'outbox'>) {
  return async (tenant: Tenant, invoiceId: string, input: PaymentInput): Promise<{ invoice: Invoice; payment: PaymentEntry; replayed: boolean }> => {
    const paidAt = input.paidAt ?? new Date();
    if (paidAt.getTime() > Date.now() + PAID_AT_SKEW_MS) {
      throw errors.validation('The body is invalid.', [{ field: 'paidAt', message: 'must not be in the future' }]);
    }
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const invoice = await invoices.find(tenant.garageId, invoiceId);
      if (!invoice) throw errors.notFound('Invoice');
      const earlier = input.idempotencyKey ? invoice.payments.find((p) => p.idempotencyKey === input.idempotencyKey) : undefined;
      if (earlier) {
        if (earlier.amount !== input.amount || earlier.method !== input.method) {
          throw errors.conflict('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used for a different payment on this invoice.');
        }
        return { invoice, payment: earlier, replayed: true };
      }
      const outcome = applyPayment(invoice, input.amount);
      if (!outcome.ok) throw refusal(outcome.code, invoice, input.amount);

      const payment: PaymentEntry = { id: randomUUID(), ...input, paidAt, paidOn: localDateOf(paidAt, tenant.timezone), createdAt: new Date() };
      const set = { status: outcome.status, balance: outcome.balance, amountPaid: outcome.amountPaid, ...(outcome.paidInFull ? { paidAt } : {}) };
      if (await payments.addIfUnchanged(invoice, payment, set, paymentEvents(invoice, payment, outcome))) {
        outbox.nudge();
        return { invoice: { ...invoice, ...set, payments: [...invoice.payments, payment] }, payment, replayed: false };
      }
    }
    throw errors.conflict('CONCURRENT_UPDATE', 'The invoice is being changed by other requests; retry the payment.');
  };
}

function paymentEvents(invoice: Invoice, payment: PaymentEntry, outcome: { status: Invoice['status']; amountPaid: number; paidInFull: boolean }): EventEnvelope[] {
  const summary = invoiceSummaryOf(invoice, outcome);
  const meta = { organisationId: invoice.organisationId, garageId: invoice.garageId };
  const paymentData = { id: payment.id, amount: payment.amount, method: payment.method, reference: payment.reference, paidAt: payment.paidAt.toISOString() };
  const events: EventEnvelope[] = [createEvent('billing', { ...meta, type: 'payment.recorded', data: { invoice: summary, payment: paymentData } })];
  if (outcome.paidInFull) {
    events.push(createEvent('billing', { ...meta, type: 'invoice.paid', data: { invoice: summary, paidAt: paymentData.paidAt } }));
  }
  return events;
}

function refusal(code: 'INVOICE_NOT_PAYABLE' | 'PAYMENT_EXCEEDS_BALANCE', invoice: Invoice, amount: number) {
  if (code === 'INVOICE_NOT_PAYABLE') {
    return errors.conflict(code, `Invoice ${invoice.number} is ${invoice.status} and takes no payments.`, { status: invoice.status });
  }
  return errors.conflict(code, `The payment of ${amount} exceeds the balance of ${invoice.balance} due on invoice ${invoice.number}.`, {
    amount,
    balance: invoice.balance,
    currency: invoice.currency,
  });
}
