import type { EventData } from '@pitlane/contracts';
import type { EventHandler } from '@pitlane/events';

import type { BookingsContext } from '../../service';

/** invoice.paid: the customer's lifetime spend grows by the amount paid (once per event). */
export const invoicePaidHandler =
  (ctx: BookingsContext): EventHandler<EventData<'invoice.paid'>> =>
  async (event) => {
    const { invoice } = event.data;
    return (await ctx.customers.addLifetimeSpend(event.garageId, invoice.customerId, invoice.amountPaid, event.id)) ? 'handled' : 'duplicate';
  };
