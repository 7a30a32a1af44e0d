import type { EventData } from '@pitlane/contracts';
import type { EventHandler } from '@pitlane/events';

import type { BookingsContext } from '../../service';

/** invoice.paid: the booking's history shows the invoice paid (idempotent, newest wins, so first), and
 * the customer's lifetime spend grows by the amount paid (once per event). */
export const invoicePaidHandler =
  (ctx: BookingsContext): EventHandler<EventData<'invoice.paid'>> =>
  async (event) => {
    const { invoice } = event.data;
    await ctx.history.recordInvoice(event.garageId, invoice, event.occurredAt);
    return (await ctx.customers.addLifetimeSpend(event.garageId, invoice.customerId, invoice.amountPaid, event.id)) ? 'handled' : 'duplicate';
  };
