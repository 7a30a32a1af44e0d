import type { Logger } from '@pitlane/core';
import type { HandlerOutcome } from '@pitlane/events';
import { PeriodicTask } from '@pitlane/runtime';

import { isOpen } from '../domain/reservations';
import type { BookingStateRepository } from '../data-access/booking-state.repository';
import type { ItemRepository } from '../data-access/item.repository';
import type { BookingEnded } from './settle-booking';

interface Deps {
  items: Pick<ItemRepository, 'withOpenReservations'>;
  states: Pick<BookingStateRepository, 'findMany'>;
  settleBooking: (end: BookingEnded) => Promise<HandlerOutcome>;
  logger: Logger;
}

/**
 * One pass: every booking that still has open lines (reserved or backordered) on an item although
 * inventory recorded its end is settled the way it ended (consume or release). Such a line is what a
 * crash between recording a booking's end and settling its lines leaves behind, or a reservation
 * written between an ending handler's scan and the reserving handler's look-up of the end (which
 * that handler normally settles itself). Returns how many bookings were repaired. Each pass reads one
 * page of items (by _id, continuing where the last pass stopped, wrapping at the end), so the cost
 * of a pass stays bounded however many lines are open.
 */
export function reconcileReservationsUseCase(deps: Deps, pageSize = 500) {
  let cursor: string | null = null;
  return async function reconcileReservations(): Promise<number> {
    const open = new Map<string, { garageId: string; bookingId: string }>();
    const page = await deps.items.withOpenReservations(cursor, pageSize);
    cursor = page.length < pageSize ? null : page[page.length - 1]!._id;
    for (const item of page) {
      for (const entry of item.reservations) {
        if (isOpen(entry)) open.set(`${item.garageId}:${entry.bookingId}`, { garageId: item.garageId, bookingId: entry.bookingId });
      }
    }
    let repaired = 0;
    for (const state of await deps.states.findMany([...open.values()])) {
      const { garageId, bookingId, settlement, eventId, eventType, seq } = state;
      if ((await deps.settleBooking({ garageId, bookingId, action: settlement, eventId, eventType, seq })) === 'handled') {
        repaired += 1;
        deps.logger.warn({ garageId, bookingId, settlement, eventType }, 'reconciler settled lines left open on a booking that had already ended');
      }
    }
    return repaired;
  };
}

/** Runs the reconciliation every `intervalMs` (one pass at a time) until stopped. */
export class ReservationReconciler {
  private readonly task: PeriodicTask;
  /** bookings repaired since start, for tests and logs */
  repaired = 0;

  constructor(reconcile: () => Promise<number>, logger: Logger, intervalMs: number) {
    this.task = new PeriodicTask(
      async () => {
        this.repaired += await reconcile();
      },
      intervalMs,
      (error) => logger.warn({ err: error }, 'reservation reconciliation pass failed, will retry'),
    );
  }

  start(): void {
    this.task.start();
  }

  stop(): Promise<void> {
    return this.task.stop();
  }
}
