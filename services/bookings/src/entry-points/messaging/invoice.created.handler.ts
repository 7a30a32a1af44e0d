import type { EventData } from '@pitlane/contracts';
import type { EventHandler } from '@pitlane/events';

import type { BookingsContext } from '../../service';

/** invoice.created: the booking's service history shows the invoice's number and totals. */
export const invoiceCreatedHandler =
  (ctx: BookingsContext): EventHandler<EventData<'invoice.created'>> =>
  async (event) =>
    (await ctx.history.recordInvoice(event.garageId, event.data.invoice, event.occurredAt)) ? 'handled' : 'duplicate';
