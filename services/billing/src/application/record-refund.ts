import { randomUUID } from 'node:crypto';

import { errors, localDateOf } from '@pitlane/core';
import { createEvent } from '@pitlane/events';

import type { Invoice, PaymentMethod } from '../domain/invoice';
import { decideRefund, type RefundEntry } from '../domain/refund';
import { settlementOf } from '../domain/settlement';
import { invoiceSummaryOf } from '../domain/summaries';
import type { Tenant, UseCaseDeps } from './deps';

export interface RefundInput {
  amount: number;
  /** how the money goes back; the payment's own method when the client does not say */
  method: PaymentMethod | null;
  reason: string | null;
  refundedAt: Date | null;
  idempotencyKey: string | null;
}

const SKEW_MS = 5 * 60_000;
const MAX_ATTEMPTS = 25;

/**
 * Gives money back against one payment, never more than it brought in less its earlier refunds: ONE
 * guarded update of the invoice (pinned on the figures decided on) adds the refund, the new balance and
 * status, and payment.refunded. A concurrent refund makes it miss; the loser decides again.
 */
export function recordRefund({ invoices, refunds, outbox }: Pick<UseCaseDeps, 'invoices' | 'refunds' | 'outbox'>) {
  return async (tenant: Tenant, invoiceId: string, paymentId: string, input: RefundInput): Promise<{ invoice: Invoice; refund: RefundEntry; replayed: boolean }> => {
    const refundedAt = input.refundedAt ?? new Date();
    if (refundedAt.getTime() > Date.now() + SKEW_MS) {
      throw errors.validation('The body is invalid.', [{ field: 'refundedAt', message: 'must not be in the future' }]);
    }
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const invoice = await invoices.find(tenant.garageId, invoiceId);
      if (!invoice) throw errors.notFound('Invoice');
      const payment = invoice.payments.find((p) => p.id === paymentId);
      if (!payment) throw errors.notFound('Payment');
      const earlier = input.idempotencyKey ? invoice.refunds.find((r) => r.idempotencyKey === input.idempotencyKey) : undefined;
      if (earlier) {
        if (earlier.amount !== input.amount || earlier.paymentId !== paymentId) {
          throw errors.conflict('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used for a different refund on this invoice.');
        }
        return { invoice, refund: earlier, replayed: true };
      }
      const before = settlementOf(invoice);
      const decision = decideRefund({ ...before, payments: invoice.payments, refunds: invoice.refunds }, paymentId, input.amount);
      if (!decision.ok) {
        const refundable = decision.code === 'REFUND_EXCEEDS_PAYMENT' ? decision.refundable : 0;
        throw errors.conflict('REFUND_EXCEEDS_PAYMENT', `The refund of ${input.amount} exceeds the ${refundable} still refundable on this payment.`, {
          amount: input.amount,
          refundable,
          currency: invoice.currency,
        });
      }
      const refund: RefundEntry = {
        id: randomUUID(),
        paymentId,
        amount: input.amount,
        method: input.method ?? payment.method,
        reason: input.reason,
        refundedAt,
        refundedOn: localDateOf(refundedAt, tenant.timezone),
        idempotencyKey: input.idempotencyKey,
        createdAt: new Date(),
      };
      const { status, balance, amountRefunded } = decision.settlement;
      const after: Invoice = { ...invoice, status, balance, amountRefunded, refunds: [...invoice.refunds, refund] };
      const event = createEvent('billing', {
        organisationId: invoice.organisationId,
        garageId: invoice.garageId,
        type: 'payment.refunded',
        data: {
          invoice: invoiceSummaryOf(after, after),
          payment: { id: payment.id, amount: payment.amount, method: payment.method, refundedTotal: decision.refundedTotal },
          refund: { id: refund.id, amount: refund.amount, method: refund.method, reason: refund.reason, refundedAt: refundedAt.toISOString() },
        },
      });
      if (await refunds.addIfUnchanged({ ...invoice, ...before }, refund, { status, balance, amountRefunded }, [event])) {
        outbox.nudge();
        return { invoice: after, refund, replayed: false };
      }
    }
    throw errors.conflict('CONCURRENT_UPDATE', 'The invoice is being changed by other requests; retry the refund.');
  };
}
