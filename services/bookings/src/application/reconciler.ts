import type { Logger } from '@pitlane/core';

import type { BookingRepository, BookingState } from '../data-access/booking.repository';
import type { CapacityDayDoc, ClaimRow } from '../data-access/capacity.model';
import type { CapacityRepository } from '../data-access/capacity.repository';
import { holdsCapacity, isActive } from '../domain/booking-status';
import type { BookingStatus } from '../domain/types';

/**
 * Crash safety. Every claim and lock records its booking id and time; a booking's own document is
 * the truth. A claim older than the grace period whose booking is missing (the process died between
 * claiming and inserting), deleted, cancelled/no-show or moved to another day/slot (died between the
 * booking write and the release) is released. Runs at start-up, every RECONCILE_INTERVAL_MS, and at
 * once on a counter that refuses a claim, so a crash never keeps capacity taken for long.
 */
export class Reconciler {
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly counters: CapacityRepository,
    private readonly bookings: Pick<BookingRepository, 'statesById'>,
    private readonly graceMs: number,
    private readonly logger: Logger,
  ) {}

  start(intervalMs: number): void {
    const tick = () => {
      this.running = this.sweep().catch((error: unknown) => this.logger.warn({ err: error }, 'reconciler sweep failed'));
    };
    tick();
    this.timer = setInterval(tick, intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One pass over counters of today and later (earlier days no longer matter) and over vehicle locks. */
  async sweep(): Promise<{ released: number; unlocked: number }> {
    const cutoff = new Date(Date.now() - this.graceMs);
    const since = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10); // any time zone's today
    let released = 0;
    for (const day of await this.counters.daysWithClaimsBefore(since, cutoff)) released += await this.releaseStale(day, cutoff);
    let unlocked = 0;
    const locks = await this.counters.locksOlderThan(cutoff);
    const bookings = await this.bookings.statesById(locks.map((lock) => lock.bookingId));
    for (const lock of locks) {
      const booking = bookings.get(lock.bookingId);
      if (booking && !booking.deletedAt && isActive(booking.status as BookingStatus)) continue;
      if (await this.counters.deleteLock(lock.garageId, lock.vehicleId, lock.bookingId)) unlocked++;
    }
    if (released + unlocked > 0) this.logger.info({ released, unlocked }, 'reconciler released stale claims');
    return { released, unlocked };
  }

  /** Called when a day or slot is full; true if it released anything. */
  async reconcileDay(garageId: string, date: string): Promise<boolean> {
    const day = await this.counters.findDay(garageId, date);
    if (!day) return false;
    return (await this.releaseStale(day, new Date(Date.now() - this.graceMs))) > 0;
  }

  /** A vehicle lock may be taken over when its booking is over, deleted, or never got written. */
  async isLockStale(bookingId: string, at: Date): Promise<boolean> {
    const booking = (await this.bookings.statesById([bookingId])).get(bookingId);
    if (!booking) return at.getTime() < Date.now() - this.graceMs; // younger: its create is still running
    return Boolean(booking.deletedAt) || !isActive(booking.status as BookingStatus);
  }

  private async releaseStale(day: CapacityDayDoc, cutoff: Date): Promise<number> {
    const old = day.claims.filter((claim) => new Date(claim.at) < cutoff);
    if (old.length === 0) return 0;
    const bookings = await this.bookings.statesById([...new Set(old.map((claim) => claim.bookingId))]);
    let released = 0;
    for (const claim of old) {
      if (holds(bookings.get(claim.bookingId), day.date, claim)) continue;
      if (await this.counters.release(day.garageId, day.date, claim.slot ?? null, claim.bookingId)) released++;
    }
    return released;
  }
}

/** Whether the booking still stands on the claimed unit: live, holding capacity, on that day (and slot). */
function holds(booking: BookingState | undefined, date: string, claim: ClaimRow): boolean {
  if (!booking || booking.deletedAt || !holdsCapacity(booking.status as BookingStatus)) return false;
  return booking.date === date && (claim.slot === null || claim.slot === undefined || booking.timeslot === claim.slot);
}
