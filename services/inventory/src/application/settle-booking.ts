import type { HandlerOutcome } from '@pitlane/events';

import { isOpen, settlementOf, withSettledKey } from '../domain/reservations';
import type { Actor } from '../domain/stock';
import type { BookingStateRepository } from '../data-access/booking-state.repository';
import type { ItemRepository } from '../data-access/item.repository';
import type { SettledReservationRepository } from '../data-access/settled-reservation.repository';
import { planStockChange } from './item-plans';
import type { ItemWriter } from './item-writer';

export interface BookingEnded {
  garageId: string;
  bookingId: string;
  /** completed: consume; cancelled, deleted, no-show: release */
  action: 'consume' | 'release';
  /** the ending event: id, type and per-booking sequence number (null on events before numbering) */
  eventId: string;
  eventType: string;
  seq: number | null;
}

/**
 * First the booking's end is recorded in `booking_states` (the first recorded end wins; bookings ends a
 * booking only once), so any part line of the booking that arrives later (out of order, or redelivered)
 * is settled the same way by reserve-parts, and the reconciler can finish what a crash left open.
 * Then it consumes (booking completed) or releases (booking cancelled / deleted / no-show) every line still
 * reserved for a booking, and drops its backordered lines. Per line, two idempotent steps:
 * (1) the settlement is recorded in `settled_reservations` (if it is already there, the decision
 * recorded first wins), then (2) ONE write on the item removes the entry, remembers its key in the
 * bounded `settledKeys` window and changes the quantities with the movement. A redelivered event finds
 * no open entry and changes nothing; a crash between the steps is finished by the redelivery; a late
 * booking.parts_assigned finds the line settled.
 */
export function settleBookingUseCase(deps: {
  items: Pick<ItemRepository, 'withReservationsOf'>;
  states: Pick<BookingStateRepository, 'recordEnd'>;
  settled: Pick<SettledReservationRepository, 'record'>;
  writer: Pick<ItemWriter, 'write'>;
}) {
  return async function settleBooking(end: BookingEnded): Promise<HandlerOutcome> {
    const { garageId, bookingId } = end;
    const state = await deps.states.recordEnd({ garageId, bookingId, settlement: end.action, eventId: end.eventId, eventType: end.eventType, seq: end.seq });
    const action = state.settlement;
    const actor: Actor = { type: 'event', id: state.eventId };
    let settled = 0;
    for (const { _id: itemId, reservations } of await deps.items.withReservationsOf(garageId, bookingId)) {
      for (const entry of reservations) {
        if (entry.bookingId !== bookingId || !isOpen(entry)) continue;
        const line = { garageId, itemId, bookingId, lineId: entry.lineId, quantity: entry.quantity };
        const status = await deps.settled.record(line, settlementOf(entry.status, action), actor.id);
        const result = await deps.writer.write(garageId, itemId, (item) => {
          const open = item.reservations.find((r) => r.key === entry.key);
          if (!open || !isOpen(open)) return null;
          const set = {
            reservations: item.reservations.filter((r) => r.key !== entry.key),
            settledKeys: withSettledKey(item.settledKeys, entry.key),
          };
          if (open.status === 'backordered') return { set, events: [] }; // never held stock here
          return planStockChange(
            item,
            { kind: status === 'consumed' ? 'consume' : 'release', quantity: open.quantity },
            { actor, reference: { bookingId, lineId: open.lineId } },
            { set },
          );
        });
        if (result?.outcome === 'written') settled += 1;
      }
    }
    return settled > 0 ? 'handled' : 'duplicate';
  };
}
