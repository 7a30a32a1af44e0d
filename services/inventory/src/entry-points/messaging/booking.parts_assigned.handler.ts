import type { EventData } from '@pitlane/contracts';
import type { EventEnvelope, HandlerOutcome } from '@pitlane/events';

import type { InventoryContext } from '../../service';

/** A part line was added to a booking: reserve it, or record it as backordered (see reserve-parts.ts). */
export function partsAssignedHandler(ctx: InventoryContext) {
  return async (event: EventEnvelope<EventData<'booking.parts_assigned'>>): Promise<HandlerOutcome> => {
    if (!event.garageId) return 'handled'; // not a garage's booking: nothing of ours to reserve
    return ctx.reserveParts({ ...event.data, eventId: event.id, organisationId: event.organisationId, garageId: event.garageId });
  };
}
