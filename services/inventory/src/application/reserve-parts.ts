import type { HandlerOutcome } from '@pitlane/events';

import type { BookingStateRepository } from '../data-access/booking-state.repository';
import type { NoticeRepository } from '../data-access/notice.repository';
import type { SettledReservationRepository } from '../data-access/settled-reservation.repository';
import { inventoryEvent, planStockChange } from './item-plans';
import type { ItemWriter } from './item-writer';
import type { BookingEnded } from './settle-booking';

export interface PartsAssigned {
  /** the consumed event: its id is the actor and the notice key */
  eventId: string;
  organisationId: string;
  garageId: string;
  bookingId: string;
  lineId: string;
  itemId: string;
  quantity: number;
}

type Deps = {
  settled: Pick<SettledReservationRepository, 'isSettled'>;
  states: Pick<BookingStateRepository, 'find'>;
  notices: NoticeRepository;
  writer: Pick<ItemWriter, 'write' | 'nudge'>;
  settleBooking: (end: BookingEnded) => Promise<HandlerOutcome>;
};

/**
 * A part line was added to a booking: reserve it if available (inventory.reserved), else record the
 * line as backordered (inventory.reservation_failed). The decision is stored as a reservation entry
 * keyed bookingId:lineId in the item, in the same write as the quantities and the events, so a
 * redelivered event finds the entry and changes nothing. Once the line is settled the entry leaves the
 * item: a late or replayed event then finds the line in `settled_reservations` (looked up first) or,
 * if it was settled between that look-up and this write, in the item's window of recent `settledKeys`.
 *
 * Out of order: when the booking already ended (its completed / cancelled / deleted / no-show came
 * first, recorded in `booking_states`), the line is reserved exactly as in order and then settled at
 * once the way the booking ended: consumed or released. The end is looked up AFTER the reservation is
 * written and the ending handler records the end BEFORE it scans for reservations, so one of the two
 * always sees the other; a crash in between is left to the reconciler.
 */
export function reservePartsUseCase(deps: Deps) {
  return async function reserveParts(line: PartsAssigned): Promise<HandlerOutcome> {
    const { bookingId, lineId, itemId, quantity, garageId } = line;
    const key = `${bookingId}:${lineId}`;
    if (await deps.settled.isSettled({ garageId, itemId, bookingId, lineId })) return 'duplicate';
    // the whole (open-lines-only, so short) array is set: the change stays mirrored in memory for group commit
    const withEntry = (item: { reservations: unknown[] }, status: 'reserved' | 'backordered') => ({
      reservations: [...item.reservations, { key, bookingId, lineId, quantity, status, updatedAt: new Date() }],
    });
    const result = await deps.writer.write(garageId, itemId, (item) => {
      if (item.reservations.some((reservation) => reservation.key === key)) return null;
      if (item.settledKeys?.includes(key)) return null;
      const quantityAvailable = item.quantityOnHand - item.quantityReserved;
      if (quantityAvailable >= quantity) {
        const plan = planStockChange(
          item,
          { kind: 'reserve', quantity },
          { actor: { type: 'event', id: line.eventId }, reference: { bookingId, lineId } },
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
    if (!result) return unknownItem(deps, line);
    const end = await deps.states.find(garageId, bookingId);
    if (end) await deps.settleBooking({ garageId, bookingId, action: end.settlement, eventId: end.eventId, eventType: end.eventType, seq: end.seq });
    return result.outcome === 'written' ? 'handled' : 'duplicate';
  };
}

/** No such item in the garage: the failure event still goes through an outbox, on a notice keyed by the event. */
async function unknownItem(deps: Deps, line: PartsAssigned): Promise<HandlerOutcome> {
  const { eventId, organisationId, garageId, bookingId, lineId, itemId, quantity } = line;
  const failed = inventoryEvent(
    'inventory.reservation_failed',
    { organisationId, garageId },
    { bookingId, lineId, itemId, quantity, quantityAvailable: 0, reason: 'unknown_item' },
  );
  if (!(await deps.notices.insert(eventId, garageId, [failed]))) return 'duplicate';
  deps.writer.nudge();
  return 'handled';
}
