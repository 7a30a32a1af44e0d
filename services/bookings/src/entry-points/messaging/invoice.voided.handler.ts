import type { EventData } from '@pitlane/contracts';
import type { EventHandler } from '@pitlane/events';

import type { BookingsContext } from '../../service';

/** invoice.voided: the booking's history shows the invoice as void. */
export const invoiceVoidedHandler =
  (ctx: BookingsContext): EventHandler<EventData<'invoice.voided'>> =>
  async (event) =>
    (await ctx.history.recordInvoice(event.garageId, event.data.invoice, event.occurredAt)) ? 'handled' : 'duplicate';
