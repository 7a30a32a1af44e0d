import { withEvents, type EventEnvelope } from '@pitlane/events';

import type { Invoice } from '../domain/invoice';
import type { RefundEntry } from '../domain/refund';
import type { Settlement } from '../domain/settlement';
import type { InvoiceDoc } from './invoice.model';
import type { Models } from './models';
import { unchangedSettlement } from './settlement-filter';

/** Refunds live inside their invoice, next to the payments they give money back from. */
export interface RefundRepository {
  /** Adds the refund with the invoice's new figures and its events as ONE update that matches only
   * while the invoice is as decided on (settlement-filter): false when it changed meanwhile. */
  addIfUnchanged(
    decidedOn: Pick<Invoice, '_id' | 'garageId'> & Settlement,
    refund: RefundEntry,
    set: Pick<Invoice, 'status' | 'balance' | 'amountRefunded'>,
    events: EventEnvelope[],
  ): Promise<boolean>;
}

export function refundRepository(models: Pick<Models, 'Invoice'>): RefundRepository {
  return {
    addIfUnchanged: async (decidedOn, refund, set, events) => {
      const result = await models.Invoice.updateOne(
        unchangedSettlement(decidedOn),
        withEvents<InvoiceDoc>({ $set: set, $push: { refunds: refund } }, ...events),
      );
      return result.matchedCount === 1;
    },
  };
}
