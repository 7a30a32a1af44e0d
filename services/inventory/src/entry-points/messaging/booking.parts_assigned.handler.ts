import type { EventData } from '@pitlane/contracts';
import type { EventEnvelope, HandlerOutcome } from '@pitlane/events';
import { isDuplicateKeyError } from '@pitlane/mongo';

import { inventoryEvent } from '../../data-access/item-events';
import { planStockChange } from '../../data-access/item-plans';
import type { ItemWriter } from '../../data-access/item-writer';
import type { Models } from '../../data-access/models';
import { settledId } from '../../data-access/settled-reservation.model';

type PartsAssigned = EventData<'booking.parts_assigned'>;

/**
 * A part line was added to a booking: reserve it if available (inventory.reserved), else record the
 * line as backordered (inventory.reservation_failed). The decision is stored as a reservation entry
 * keyed bookingId:lineId in the item, in the same write as the quantities and the events, so a
 * redelivered event finds the entry and changes nothing. Once the line is settled the entry leaves the
 * item: a late or replayed event then finds the line in `settled_reservations` (looked up first) or,
 * if it was settled between that look-up and this write, in the item's window of recent `settledKeys`.
 */
export function partsAssignedHandler(models: Models, writer: ItemWriter) {
  return async (event: EventEnvelope<PartsAssigned>): Promise<HandlerOutcome> => {
    const { bookingId, lineId, itemId, quantity } = event.data;
    const garageId = event.garageId;
    if (!garageId) return 'handled'; // not a garage's booking: nothing of ours to reserve
    const key = `${bookingId}:${lineId}`;
    if (await models.SettledReservation.exists({ _id: settledId(garageId, itemId, bookingId, lineId) })) return 'duplicate';
    // the whole (open-lines-only, so short) array is set: the change stays mirrored in memory for group commit
    const withEntry = (item: { reservations: unknown[] }, status: 'reserved' | 'backordered') => ({
      reservations: [...item.reservations, { key, bookingId, lineId, quantity, status, updatedAt: new Date() }],
    });
    const result = await writer.write(garageId, itemId, (item) => {
      if (item.reservations.some((reservation) => reservation.key === key)) return null;
      if (item.settledKeys?.includes(key)) return null;
      const quantityAvailable = item.quantityOnHand - item.quantityReserved;
      if (quantityAvailable >= quantity) {
        const plan = planStockChange(
          item,
          { kind: 'reserve', quantity },
          { actor: { type: 'event', id: event.id }, reference: { bookingId, lineId } },
          { set: withEntry(item, 'reserved') },
        );
        plan.events.unshift(inventoryEvent('inventory.reserved', item, { bookingId, lineId, itemId, quantity }));
        return plan;
      }
      return {
        set: withEntry(item, 'backordered'),
        events: [
          inventoryEvent('inventory.reservation_failed', item, {
            bookingId, lineId, itemId, quantity, quantityAvailable, reason: 'insufficient_stock',
          }),
        ],
      };
    });
    if (result) return result.outcome === 'written' ? 'handled' : 'duplicate';
    return unknownItem(models, writer, event);
  };
}

/** No such item in the garage: the failure event still goes through an outbox, on a notice keyed by the event. */
async function unknownItem(models: Models, writer: ItemWriter, event: EventEnvelope<PartsAssigned>): Promise<HandlerOutcome> {
  const failed = inventoryEvent(
    'inventory.reservation_failed',
    { organisationId: event.organisationId, garageId: event.garageId! },
    { ...event.data, quantityAvailable: 0, reason: 'unknown_item' },
  );
  try {
    await models.Notice.create({ _id: event.id, garageId: event.garageId, createdAt: new Date(), outbox: [failed] });
  } catch (error) {
    if (isDuplicateKeyError(error)) return 'duplicate';
    throw error;
  }
  writer.nudge();
  return 'handled';
}
