import { errors } from '@pitlane/core';

import { renderInvoicePdf as render } from '../domain/invoice-pdf';
import type { UseCaseDeps } from './deps';

/** The invoice of the garage as a PDF for people; the garage's name and time zone come from the
 * gateway's token (billing does not keep garages). */
export function renderInvoicePdf({ invoices }: Pick<UseCaseDeps, 'invoices'>) {
  return async (garage: { garageId: string; garageName: string; timezone: string }, invoiceId: string): Promise<{ number: string; pdf: Buffer }> => {
    const invoice = await invoices.find(garage.garageId, invoiceId);
    if (!invoice) throw errors.notFound('Invoice');
    return { number: invoice.number, pdf: await render(invoice, { garageName: garage.garageName, timezone: garage.timezone }) };
  };
}
