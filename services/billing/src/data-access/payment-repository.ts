import { randomUUID } from 'node:crypto';

import { errors } from '@pitlane/core';
import { createEvent, withEvents, type EventEnvelope } from '@pitlane/events';

import { applyPayment, type PaymentMethod } from '../domain/invoice';
import { invoiceSummaryOf } from '../domain/summaries';
import type { InvoiceDoc, PaymentEntry } from './invoice-model';
import type { Models } from './models';

export interface NewPayment {
  amount: number;
  method: PaymentMethod;
  reference: string | null;
  paidAt: Date;
  paidOn: string;
  /** the client's Idempotency-Key: a retried request returns the payment it already made */
  idempotencyKey: string | null;
}

/** Compare-and-set attempts before a payment gives up under contention (each lost race means another
 * payment of the same invoice went through, so this bound is only reached by pathological bursts). */
const MAX_ATTEMPTS = 25;

/**
 * Records a payment as ONE guarded update of the invoice: the filter pins the balance and status the
 * decision was made on, so two concurrent payments can never both spend the same balance (the loser
 * re-reads and decides again). payment.recorded, and invoice.paid when the balance reaches 0, are in
 * the same write: invoice.paid can only come from the single update that took the balance to 0.
 */
export async function recordPayment(
  models: Pick<Models, 'Invoice'>,
  garageId: string,
  invoiceId: string,
  input: NewPayment,
): Promise<{ invoice: InvoiceDoc; payment: PaymentEntry; replayed: boolean }> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const invoice = await models.Invoice.findOne({ _id: invoiceId, garageId }).lean<InvoiceDoc>().exec();
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

    const payment: PaymentEntry = { id: randomUUID(), ...input, createdAt: new Date() };
    const summary = invoiceSummaryOf(invoice, outcome);
    const meta = { organisationId: invoice.organisationId, garageId };
    const paymentData = { id: payment.id, amount: payment.amount, method: payment.method, reference: payment.reference, paidAt: payment.paidAt.toISOString() };
    const events: EventEnvelope[] = [createEvent('billing', { ...meta, type: 'payment.recorded', data: { invoice: summary, payment: paymentData } })];
    if (outcome.paidInFull) {
      events.push(createEvent('billing', { ...meta, type: 'invoice.paid', data: { invoice: summary, paidAt: paymentData.paidAt } }));
    }
    const set = { status: outcome.status, balance: outcome.balance, amountPaid: outcome.amountPaid, ...(outcome.paidInFull ? { paidAt: input.paidAt } : {}) };
    // the pinned balance is what makes this safe; the key guard only makes a replay's intent explicit
    const result = await models.Invoice.updateOne(
      {
        _id: invoiceId,
        garageId,
        status: invoice.status,
        balance: invoice.balance,
        ...(input.idempotencyKey ? { 'payments.idempotencyKey': { $ne: input.idempotencyKey } } : {}),
      },
      withEvents<InvoiceDoc>({ $set: set, $push: { payments: payment } }, ...events),
    );
    if (result.matchedCount === 1) {
      return { invoice: { ...invoice, ...set, payments: [...invoice.payments, payment] }, payment, replayed: false };
    }
  }
  throw errors.conflict('CONCURRENT_UPDATE', 'The invoice is being changed by other requests; retry the payment.');
}

function refusal(code: 'INVOICE_NOT_PAYABLE' | 'PAYMENT_EXCEEDS_BALANCE', invoice: InvoiceDoc, amount: number) {
  if (code === 'INVOICE_NOT_PAYABLE') {
    return errors.conflict(code, `Invoice ${invoice.number} is ${invoice.status} and takes no payments.`, { status: invoice.status });
  }
  return errors.conflict(code, `The payment of ${amount} exceeds the balance of ${invoice.balance} due on invoice ${invoice.number}.`, {
    amount,
    balance: invoice.balance,
    currency: invoice.currency,
  });
}

/** Void: only an issued invoice that took no money (a paid one needs a refund/credit note: out of scope). */
export async function voidInvoice(models: Pick<Models, 'Invoice'>, garageId: string, invoiceId: string, reason: string | null): Promise<InvoiceDoc> {
  const invoice = await models.Invoice.findOne({ _id: invoiceId, garageId }).lean<InvoiceDoc>().exec();
  if (!invoice) throw errors.notFound('Invoice');
  const notVoidable = () =>
    errors.conflict('INVALID_STATUS_TRANSITION', `Invoice ${invoice.number} cannot be voided: only an issued invoice without payments can.`, {
      status: invoice.status,
      allowed: [],
    });
  if (invoice.status !== 'issued' || invoice.amountPaid !== 0) throw notVoidable();
  const set = { status: 'void' as const, balance: 0, voidedAt: new Date(), voidReason: reason };
  const event = createEvent('billing', {
    organisationId: invoice.organisationId,
    garageId,
    type: 'invoice.voided',
    data: { invoice: invoiceSummaryOf(invoice, { status: 'void', amountPaid: 0 }), reason },
  });
  const result = await models.Invoice.updateOne(
    { _id: invoiceId, garageId, status: 'issued', amountPaid: 0 },
    withEvents<InvoiceDoc>({ $set: set }, event),
  );
  // lost the race to a payment (or another void): the invoice is no longer voidable
  if (result.matchedCount !== 1) throw notVoidable();
  return { ...invoice, ...set };
}

export interface PaymentQuery {
  garageId: string;
  method?: string[];
  dateFrom?: string;
  dateTo?: string;
  invoiceId?: string;
  sort: Record<string, 1 | -1>;
  skip: number;
  limit: number;
}

export interface PaymentRow extends PaymentEntry {
  invoiceId: string;
  invoiceNumber: string;
  currency: string;
}

/** Payments live inside their invoice (one write records both); listing them unwinds the invoices. */
export async function listPayments(models: Pick<Models, 'Invoice'>, query: PaymentQuery): Promise<{ items: PaymentRow[]; total: number }> {
  const match: Record<string, unknown> = {};
  if (query.method) match['payments.method'] = { $in: query.method };
  if (query.dateFrom || query.dateTo) {
    match['payments.paidOn'] = { ...(query.dateFrom ? { $gte: query.dateFrom } : {}), ...(query.dateTo ? { $lte: query.dateTo } : {}) };
  }
  const sort = Object.fromEntries(Object.entries(query.sort).map(([field, direction]) => [`payments.${field}`, direction]));
  const [result] = await models.Invoice.aggregate<{ items: { payments: PaymentEntry; _id: string; number: string; currency: string }[]; total: { n: number }[] }>([
    { $match: { garageId: query.garageId, 'payments.0': { $exists: true }, ...(query.invoiceId ? { _id: query.invoiceId } : {}) } },
    { $unwind: '$payments' },
    { $match: match },
    { $sort: { ...sort, 'payments.id': 1 } },
    { $project: { payments: 1, number: 1, currency: 1 } },
    { $facet: { items: [{ $skip: query.skip }, { $limit: query.limit }], total: [{ $count: 'n' }] } },
  ]).exec();
  const items = (result?.items ?? []).map((row) => ({ ...row.payments, invoiceId: row._id, invoiceNumber: row.number, currency: row.currency }));
  return { items, total: result?.total[0]?.n ?? 0 };
}
