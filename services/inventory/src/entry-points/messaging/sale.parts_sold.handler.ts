import type { EventData } from '@pitlane/contracts';
import type { EventEnvelope, HandlerOutcome } from '@pitlane/events';

import type { InventoryContext } from '../../service';

/** A counter sale billed parts from stock: take them through the ledger (see record-parts-sale.ts). */
export function partsSoldHandler(ctx: InventoryContext) {
  return async (event: EventEnvelope<EventData<'sale.parts_sold'>>): Promise<HandlerOutcome> => {
    if (!event.garageId) return 'handled'; // not a garage's sale: no stock of ours
    const { invoiceId, invoiceNumber, lines } = event.data;
    return ctx.recordPartsSale({ eventId: event.id, garageId: event.garageId, invoiceId, invoiceNumber, lines });
  };
}
