import { errors } from '@pitlane/core';
import { createEvent } from '@pitlane/events';

import { isVoidable, type Invoice } from '../domain/invoice';
import { invoiceSummaryOf } from '../domain/summaries';
import type { UseCaseDeps } from './deps';

/** Void: only an issued invoice that took no money; invoice.voided in the same write. */
export function voidInvoice({ invoices, outbox }: Pick<UseCaseDeps, 'invoices' | 'outbox'>) {
  return async (garageId: string, invoiceId: string, reason: string | null): Promise<Invoice> => {
    const invoice = await invoices.find(garageId, invoiceId);
    if (!invoice) throw errors.notFound('Invoice');
    const notVoidable = () =>
      errors.conflict('INVALID_STATUS_TRANSITION', `Invoice ${invoice.number} cannot be voided: only an issued invoice without payments can.`, {
        status: invoice.status,
        allowed: [],
      });
    if (!isVoidable(invoice)) throw notVoidable();
    const set = { status: 'void' as const, balance: 0, voidedAt: new Date(), voidReason: reason };
    const event = createEvent('billing', {
      organisationId: invoice.organisationId,
      garageId,
      type: 'invoice.voided',
      data: { invoice: invoiceSummaryOf(invoice, { status: 'void', amountPaid: 0 }), reason },
    });
    // lost the race to a payment (or another void): the invoice is no longer voidable
    if (!(await invoices.voidIfUnpaid(invoice, set, [event]))) throw notVoidable();
    outbox.nudge();
    return { ...invoice, ...set };
  };
}
