import type { HandlerOutcome } from '@pitlane/events';

import { isOpen, settlementOf, withSettledKey } from '../domain/reservations';
import type { Actor } from '../domain/stock';
import type { ItemRepository } from '../data-access/item.repository';
import type { SettledReservationRepository } from '../data-access/settled-reservation.repository';
import { planStockChange } from './item-plans';
import type { ItemWriter } from './item-writer';

export interface BookingEnded {
  garageId: string;
  bookingId: string;
  /** completed: consume; cancelled, deleted, no-show: release */
  action: 'consume' | 'release';
  actor: Actor;
}

/**
 * Consumes (booking completed) or releases (booking cancelled / deleted / no-show) every line still
 * reserved for a booking, and drops its backordered lines. Per line, two idempotent steps:
 * (1) the settlement is recorded in `settled_reservations` (if it is already there, the decision
 * recorded first wins), then (2) ONE write on the item removes the entry, remembers its key in the
 * bounded `settledKeys` window and changes the quantities with the movement. A redelivered event finds
 * no open entry and changes nothing; a crash between the steps is finished by the redelivery; a late
 * booking.parts_assigned finds the line settled.
 */
export function settleBookingUseCase(deps: {
  items: Pick<ItemRepository, 'withReservationsOf'>;
  settled: Pick<SettledReservationRepository, 'record'>;
  writer: Pick<ItemWriter, 'write'>;
}) {
  return async function settleBooking({ garageId, bookingId, action, actor }: BookingEnded): Promise<HandlerOutcome> {
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
