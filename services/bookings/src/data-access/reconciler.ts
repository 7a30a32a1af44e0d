import type { Logger } from '@pitlane/core';

import { holdsCapacity, isActive } from '../domain/booking-status';
import type { BookingStatus } from '../domain/types';
import type { CounterDoc } from './capacity.model';
import type { CapacityStore } from './capacity';
import type { Models } from './models';

interface BookingState {
  _id: string;
  status: string;
  date: string;
  timeslot: string | null;
  deletedAt: Date | null;
}

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
  capacity?: CapacityStore;

  constructor(
    private readonly models: Models,
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
    const counters = await this.models.CapacityCounter.find({ date: { $gte: since }, 'claims.at': { $lt: cutoff } }).lean<CounterDoc[]>();
    let released = 0;
    for (const counter of counters) released += await this.releaseStale(counter, cutoff);
    let unlocked = 0;
    const locks = await this.models.VehicleLock.find({ at: { $lt: cutoff } }).lean();
    const bookings = await this.bookingsById(locks.map((lock) => lock.bookingId));
    for (const lock of locks) {
      const booking = bookings.get(lock.bookingId);
      if (booking && !booking.deletedAt && isActive(booking.status as BookingStatus)) continue;
      const result = await this.models.VehicleLock.deleteOne({ _id: lock._id, bookingId: lock.bookingId });
      unlocked += result.deletedCount;
    }
    if (released + unlocked > 0) this.logger.info({ released, unlocked }, 'reconciler released stale claims');
    return { released, unlocked };
  }

  /** Called when a counter is full; true if it released anything. */
  async reconcileCounter(key: string): Promise<boolean> {
    const counter = await this.models.CapacityCounter.findById(key).lean<CounterDoc>();
    if (!counter) return false;
    return (await this.releaseStale(counter, new Date(Date.now() - this.graceMs))) > 0;
  }

  /** A vehicle lock may be taken over when its booking is over, deleted, or never got written. */
  async isLockStale(bookingId: string, at: Date): Promise<boolean> {
    const booking = (await this.bookingsById([bookingId])).get(bookingId);
    if (!booking) return at.getTime() < Date.now() - this.graceMs; // younger: its create is still running
    return Boolean(booking.deletedAt) || !isActive(booking.status as BookingStatus);
  }

  private async releaseStale(counter: CounterDoc, cutoff: Date): Promise<number> {
    const old = counter.claims.filter((claim) => new Date(claim.at) < cutoff);
    if (old.length === 0 || !this.capacity) return 0;
    const bookings = await this.bookingsById(old.map((claim) => claim.bookingId));
    let released = 0;
    for (const claim of old) {
      if (holds(bookings.get(claim.bookingId), counter)) continue;
      if (await this.capacity.release(counter._id, claim.bookingId)) released++;
    }
    return released;
  }

  private async bookingsById(ids: string[]): Promise<Map<string, BookingState>> {
    if (ids.length === 0) return new Map();
    const rows = await this.models.Booking.find({ _id: { $in: ids } }, { status: 1, date: 1, timeslot: 1, deletedAt: 1 }).lean<BookingState[]>();
    return new Map(rows.map((row) => [row._id, row]));
  }
}

function holds(booking: BookingState | undefined, counter: CounterDoc): boolean {
  if (!booking || booking.deletedAt || !holdsCapacity(booking.status as BookingStatus)) return false;
  return booking.date === counter.date && (counter.slot === null || booking.timeslot === counter.slot);
}
