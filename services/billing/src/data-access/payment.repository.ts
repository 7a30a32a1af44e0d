import { withEvents, type EventEnvelope } from '@pitlane/events';

import type { Invoice, PaymentEntry } from '../domain/invoice';
import type { InvoiceDoc } from './invoice.model';
import type { Models } from './models';

/** Payments live inside their invoice: one write records the payment, the invoice's new figures and
 * the events together. */
export interface PaymentRepository {
  /**
   * Adds the payment with `set` and its events as ONE update whose filter pins the status and balance
   * the decision was made on (and that the idempotency key is not there yet): false when the invoice
   * changed meanwhile, so two concurrent payments can never both spend the same balance.
   */
  addIfUnchanged(
    decidedOn: Pick<Invoice, '_id' | 'garageId' | 'status' | 'balance'>,
    payment: PaymentEntry,
    set: Partial<Pick<Invoice, 'status' | 'balance' | 'amountPaid' | 'paidAt'>>,
    events: EventEnvelope[],
  ): Promise<boolean>;
  list(query: PaymentQuery): Promise<{ items: PaymentRow[]; total: number }>;
}

export function paymentRepository(models: Pick<Models, 'Invoice'>): PaymentRepository {
  return {
    addIfUnchanged: async (decidedOn, payment, set, events) => {
      const result = await models.Invoice.updateOne(
        {
          _id: decidedOn._id,
          garageId: decidedOn.garageId,
          status: decidedOn.status,
          balance: decidedOn.balance,
          // the pinned balance is what makes this safe; the key guard only makes a replay's intent explicit
          ...(payment.idempotencyKey ? { 'payments.idempotencyKey': { $ne: payment.idempotencyKey } } : {}),
        },
        withEvents<InvoiceDoc>({ $set: set, $push: { payments: payment } }, ...events),
      );
      return result.matchedCount === 1;
    },
    list: (query) => listPayments(models, query),
  };
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
async function listPayments(models: Pick<Models, 'Invoice'>, query: PaymentQuery): Promise<{ items: PaymentRow[]; total: number }> {
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
