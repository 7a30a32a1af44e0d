import type { CapacityRepository, CounterMeta } from '../data-access/capacity.repository';
import { dayKey, slotKey } from '../data-access/capacity.repository';
import type { Reconciler } from './reconciler';

/** The capacity counters a booking holds: its day, and its slot when it has a timeslot. */
export interface Hold {
  garageId: string;
  date: string;
  timeslot: string | null;
}

/**
 * The claiming policy over the counters and locks of CapacityRepository: a full counter or a held
 * lock first asks the reconciler whether a crash left it taken, then tries once more.
 */
export class CapacityStore {
  constructor(
    private readonly counters: CapacityRepository,
    private readonly reconciler: Pick<Reconciler, 'reconcileCounter' | 'isLockStale'>,
  ) {}

  /** Takes one unit of the counter for the booking; false when it is at capacity. */
  async claim(key: string, meta: CounterMeta, capacity: number, bookingId: string): Promise<boolean> {
    if (capacity <= 0) return false;
    if (await this.counters.take(key, capacity, bookingId)) return true;
    // first claim of this day or slot: create the empty counter and try again; also when another
    // request created it meanwhile
    await this.counters.ensureCounter(key, meta);
    if (await this.counters.take(key, capacity, bookingId)) return true;
    // full: let the reconciler free units held by bookings that never were (crash), then try once
    // more even if it freed nothing itself (the periodic sweep may just have done it)
    await this.reconciler.reconcileCounter(key);
    return this.counters.take(key, capacity, bookingId);
  }

  release(key: string, bookingId: string): Promise<boolean> {
    return this.counters.release(key, bookingId);
  }

  /** Claims the day and (if any) the slot; on refusal gives back what it took. */
  async claimHold(hold: Hold, capacities: { daily: number; slot: number }, bookingId: string): Promise<'ok' | 'DATE_AT_CAPACITY' | 'SLOT_AT_CAPACITY'> {
    const day = dayKey(hold.garageId, hold.date);
    if (!(await this.claim(day, { garageId: hold.garageId, date: hold.date, slot: null }, capacities.daily, bookingId))) {
      return 'DATE_AT_CAPACITY';
    }
    if (hold.timeslot === null) return 'ok';
    const slot = slotKey(hold.garageId, hold.date, hold.timeslot);
    if (await this.claim(slot, { garageId: hold.garageId, date: hold.date, slot: hold.timeslot }, capacities.slot, bookingId)) return 'ok';
    await this.release(day, bookingId);
    return 'SLOT_AT_CAPACITY';
  }

  async releaseHold(hold: Hold, bookingId: string): Promise<void> {
    if (hold.timeslot !== null) await this.release(slotKey(hold.garageId, hold.date, hold.timeslot), bookingId);
    await this.release(dayKey(hold.garageId, hold.date), bookingId);
  }

  /** The vehicle lock: one active booking per vehicle. A lock whose booking is gone or over is taken
   * over; otherwise the refusal names the holding booking (null if it vanished meanwhile). */
  async lockVehicle(garageId: string, vehicleId: string, bookingId: string): Promise<{ locked: true } | { locked: false; holder: string | null }> {
    if (await this.counters.insertLock(garageId, vehicleId, bookingId)) return { locked: true };
    const holder = await this.counters.findLock(garageId, vehicleId);
    if (!holder) return this.lockVehicle(garageId, vehicleId, bookingId);
    if (holder.bookingId === bookingId) return { locked: true };
    if (await this.reconciler.isLockStale(holder.bookingId, holder.at)) {
      if (await this.counters.takeOverLock(garageId, vehicleId, holder.bookingId, bookingId)) return { locked: true };
    }
    // read again like the refusal always did: the holder a partner is told about is the current one
    return { locked: false, holder: (await this.counters.findLock(garageId, vehicleId))?.bookingId ?? null };
  }

  async unlockVehicle(garageId: string, vehicleId: string, bookingId: string): Promise<void> {
    await this.counters.deleteLock(garageId, vehicleId, bookingId);
  }
}
