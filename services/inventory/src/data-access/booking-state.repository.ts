import { isDuplicateKeyError } from '@pitlane/mongo';

import type { BookingState, Settlement } from './booking-state.model';
import type { Models } from './models';

export type BookingStateRepository = ReturnType<typeof bookingStateRepository>;

const stateId = (garageId: string, bookingId: string) => `${garageId}:${bookingId}`;

export interface BookingEnd {
  garageId: string;
  bookingId: string;
  settlement: Settlement;
  eventId: string;
  eventType: string;
  seq: number | null;
}

/** The terminal state of bookings as inventory learned it (see booking-state.model.ts). */
export function bookingStateRepository({ BookingState }: Pick<Models, 'BookingState'>) {
  return {
    /** Records the booking's end unless one is already recorded; answers the state recorded first. */
    async recordEnd(end: BookingEnd): Promise<BookingState> {
      const _id = stateId(end.garageId, end.bookingId);
      const state: BookingState = { _id, ...end, settledAt: new Date() };
      try {
        await BookingState.create(state);
        return state;
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        return (await BookingState.findOne({ _id }).lean<BookingState>()) ?? state;
      }
    },

    find(garageId: string, bookingId: string): Promise<BookingState | null> {
      return BookingState.findOne({ _id: stateId(garageId, bookingId) }).lean<BookingState>().exec();
    },

    /** the recorded ends of these bookings (pairs of garage and booking), for the reconciler */
    async findMany(keys: { garageId: string; bookingId: string }[]): Promise<BookingState[]> {
      if (keys.length === 0) return [];
      return BookingState.find({ _id: { $in: keys.map((k) => stateId(k.garageId, k.bookingId)) } }).lean<BookingState[]>().exec();
    },

    /** test and repair tooling: a state written as a crashed process would have left it */
    async insertRaw(state: Omit<BookingState, '_id'>): Promise<void> {
      await BookingState.create({ _id: stateId(state.garageId, state.bookingId), ...state });
    },
  };
}
