import type { HandlerOutcome } from '@pitlane/events';

import type { Actor } from '../../domain/stock';
import { planStockChange } from '../../data-access/item-plans';
import type { ItemDocument } from '../../data-access/item.model';
import type { ItemWriter } from '../../data-access/item-writer';
import type { Models } from '../../data-access/models';

/**
 * Consumes (booking completed) or releases (booking cancelled / deleted) every line still reserved
 * for a booking. One write per line flips the entry's status together with the quantities and the
 * movement, so a redelivered event finds nothing reserved any more and changes nothing; a crash
 * half-way is finished by the redelivery.
 */
export async function settleBooking(
  models: Models,
  writer: ItemWriter,
  garageId: string,
  bookingId: string,
  action: 'consume' | 'release',
  actor: Actor,
): Promise<HandlerOutcome> {
  const items = await models.Item.find({ garageId, 'reservations.bookingId': bookingId, 'reservations.status': 'reserved' })
    .select({ _id: 1 })
    .lean<Pick<ItemDocument, '_id'>[]>();
  let settled = 0;
  for (const { _id } of items) {
    for (;;) {
      const result = await writer.write(garageId, _id, (item) => {
        const index = item.reservations.findIndex((r) => r.bookingId === bookingId && r.status === 'reserved');
        if (index < 0) return null;
        const reservation = item.reservations[index]!;
        return planStockChange(
          item,
          { kind: action, quantity: reservation.quantity },
          { actor, reference: { bookingId, lineId: reservation.lineId } },
          {
            set: {
              [`reservations.${index}.status`]: action === 'consume' ? 'consumed' : 'released',
              [`reservations.${index}.updatedAt`]: new Date(),
            },
          },
        );
      });
      if (result?.outcome !== 'written') break;
      settled += 1;
    }
  }
  return settled > 0 ? 'handled' : 'duplicate';
}
