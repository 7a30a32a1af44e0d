import type { HandlerOutcome } from '@pitlane/events';
import { isDuplicateKeyError } from '@pitlane/mongo';

import type { Actor } from '../../domain/stock';
import { planStockChange } from '../../data-access/item-plans';
import type { ItemDocument } from '../../data-access/item.model';
import type { ItemWriter } from '../../data-access/item-writer';
import type { Models } from '../../data-access/models';
import { settledId, withSettledKey, type SettledStatus } from '../../data-access/settled-reservation.model';

type Entry = ItemDocument['reservations'][number];
const isOpen = (entry: Entry) => entry.status === 'reserved' || entry.status === 'backordered';

/**
 * Consumes (booking completed) or releases (booking cancelled / deleted / no-show) every line still
 * reserved for a booking, and drops its backordered lines. Per line, two idempotent steps:
 * (1) the settlement is recorded in `settled_reservations` (insert keyed garageId:itemId:bookingId:lineId;
 * if it is already there, the decision recorded first wins), then (2) ONE write on the item removes the
 * entry, remembers its key in the bounded `settledKeys` window and changes the quantities with the
 * movement. A redelivered event finds no open entry and changes nothing; a crash between the steps
 * is finished by the redelivery; a late booking.parts_assigned finds the line settled.
 */
export async function settleBooking(
  models: Models,
  writer: ItemWriter,
  garageId: string,
  bookingId: string,
  action: 'consume' | 'release',
  actor: Actor,
): Promise<HandlerOutcome> {
  const items = await models.Item.find({ garageId, 'reservations.bookingId': bookingId })
    .select({ _id: 1, reservations: 1 })
    .lean<Pick<ItemDocument, '_id' | 'reservations'>[]>();
  let settled = 0;
  for (const { _id: itemId, reservations } of items) {
    for (const entry of reservations) {
      if (entry.bookingId !== bookingId || !isOpen(entry)) continue;
      const intended: SettledStatus = entry.status === 'backordered' ? 'dropped' : action === 'consume' ? 'consumed' : 'released';
      const status = await recordSettlement(models, garageId, itemId, entry, intended, actor.id);
      const result = await writer.write(garageId, itemId, (item) => {
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
}

/** Step (1): records how the line is settled; answers the decision recorded first (e.g. a completion
 * that crashed before its item write is still consumed when a cancellation arrives afterwards). */
async function recordSettlement(models: Models, garageId: string, itemId: string, entry: Entry, status: SettledStatus, eventId: string): Promise<SettledStatus> {
  const _id = settledId(garageId, itemId, entry.bookingId, entry.lineId);
  try {
    await models.SettledReservation.create({
      _id, garageId, itemId, bookingId: entry.bookingId, lineId: entry.lineId, quantity: entry.quantity, status, eventId, settledAt: new Date(),
    });
    return status;
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    const existing = await models.SettledReservation.findOne({ _id }).lean();
    return existing?.status ?? status;
  }
}
