import { isDuplicateKeyError } from '@pitlane/mongo';

import type { SettledStatus } from '../domain/reservations';
import type { Models } from './models';

export type SettledReservationRepository = ReturnType<typeof settledReservationRepository>;

/** `_id` = garageId:itemId:bookingId:lineId: the stand-in uses the _id index only for exactly `{_id}`,
 * and the garage in the key keeps the look-up tenant-scoped. */
const settledId = (garageId: string, itemId: string, bookingId: string, lineId: string) => `${garageId}:${itemId}:${bookingId}:${lineId}`;

export interface SettledLine {
  garageId: string;
  itemId: string;
  bookingId: string;
  lineId: string;
  quantity: number;
}

/** The permanent record of settled booking lines (see settled-reservation.model.ts). */
export function settledReservationRepository({ SettledReservation }: Pick<Models, 'SettledReservation'>) {
  return {
    async isSettled(line: Omit<SettledLine, 'quantity'>): Promise<boolean> {
      return (await SettledReservation.exists({ _id: settledId(line.garageId, line.itemId, line.bookingId, line.lineId) })) !== null;
    },

    /** Records how the line is settled and answers the decision recorded first (e.g. a completion that
     * crashed before its item write is still consumed when a cancellation arrives afterwards). */
    async record(line: SettledLine, status: SettledStatus, eventId: string): Promise<SettledStatus> {
      const _id = settledId(line.garageId, line.itemId, line.bookingId, line.lineId);
      try {
        await SettledReservation.create({ _id, ...line, status, eventId, settledAt: new Date() });
        return status;
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        const existing = await SettledReservation.findOne({ _id }).lean();
        return existing?.status ?? status;
      }
    },
  };
}
