import type { Settlement } from '../domain/settlement';

/** Invoices stored before refunds and credit notes existed have no such fields: 0 matches those too. */
const zeroOrMissing = (value: number) => (value === 0 ? { $in: [0, null] } : value);

/**
 * The filter of a guarded money write: it matches only while the invoice is in the state the decision
 * was made on. The three counters only ever grow and every money write grows one of them, so a match
 * means nothing changed in between (no ABA), whatever else raced.
 */
export function unchangedSettlement(invoice: { _id: string; garageId: string } & Settlement): Record<string, unknown> {
  return {
    _id: invoice._id,
    garageId: invoice.garageId,
    status: invoice.status,
    amountPaid: invoice.amountPaid,
    amountRefunded: zeroOrMissing(invoice.amountRefunded),
    creditedTotal: zeroOrMissing(invoice.creditedTotal),
  };
}
