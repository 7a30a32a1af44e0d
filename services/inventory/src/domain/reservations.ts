/** Reservations of booking lines held inside an item, and how they are settled. */

/** reserved: holds stock; backordered: refused (short), holds nothing. consumed/released only appear
 * on entries written before settled lines moved out of the item. */
export type ReservationStatus = 'reserved' | 'backordered' | 'consumed' | 'released';
export type SettledStatus = 'consumed' | 'released' | 'dropped';

export const isOpen = (entry: { status: string }) => entry.status === 'reserved' || entry.status === 'backordered';

/** How a booking's end settles one of its open lines: a backordered line never held stock here, so it
 * is dropped; a reserved one is consumed (completed) or released (cancelled, deleted, no-show). */
export function settlementOf(status: string, action: 'consume' | 'release'): SettledStatus {
  if (status === 'backordered') return 'dropped';
  return action === 'consume' ? 'consumed' : 'released';
}

/** How many keys (bookingId:lineId) of recently settled lines an item remembers: closes the race
 * between a handler's look-up in `settled_reservations` and its write on the item. */
export const SETTLED_KEYS_WINDOW = 50;

/** The item's `settledKeys` after settling `key`: appended, at most SETTLED_KEYS_WINDOW, oldest dropped. */
export const withSettledKey = (keys: readonly string[] | undefined, key: string) =>
  [...(keys ?? []).filter((k) => k !== key), key].slice(-SETTLED_KEYS_WINDOW);
