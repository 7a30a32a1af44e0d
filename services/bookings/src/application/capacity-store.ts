import type { CapacityRepository, Unit } from '../data-access/capacity.repository';
import type { Reconciler } from './reconciler';

/** The capacity a booking holds: its day, and its slot when it has a timeslot. */
export interface Hold {
  garageId: string;
  date: string;
  timeslot: string | null;
}

export type Claimed = 'ok' | 'DATE_AT_CAPACITY' | 'SLOT_AT_CAPACITY';

/**
 * The claiming policy over the day documents and locks of CapacityRepository: a full day or slot, or
 * a held lock, first asks the reconciler whether a crash left it taken, then tries once more.
 */
export class CapacityStore {
  constructor(
    private readonly counters: CapacityRepository,
    private readonly reconciler: Pick<Reconciler, 'reconcileDay' | 'isLockStale'>,
  ) {}

  /**
   * Takes the units of one day for the booking, all or none. The uncontended path is ONE write; only
   * a refusal reads the day (to free stale claims, and to tell a full day from a full slot).
   */
  async claim(garageId: string, date: string, units: Unit[], bookingId: string): Promise<Claimed> {
    const closed = units.find((unit) => unit.capacity <= 0);
    if (closed) return closed.slot === null ? 'DATE_AT_CAPACITY' : 'SLOT_AT_CAPACITY';
    if (await this.counters.take(garageId, date, units, bookingId)) return 'ok';
    // full: let the reconciler free units held by bookings that never were (crash), then try once
    // more even if it freed nothing itself (the periodic sweep may just have done it)
    await this.reconciler.reconcileDay(garageId, date);
    if (await this.counters.take(garageId, date, units, bookingId)) return 'ok';
    const day = await this.counters.findDay(garageId, date);
    const dayUnit = units.find((unit) => unit.slot === null);
    if (dayUnit && (day?.booked ?? 0) >= dayUnit.capacity) return 'DATE_AT_CAPACITY';
    return 'SLOT_AT_CAPACITY';
  }

  release(garageId: string, date: string, slot: string | null, bookingId: string): Promise<boolean> {
    return this.counters.release(garageId, date, slot, bookingId);
  }

  /** Claims the day and (if any) the slot in one write. */
  claimHold(hold: Hold, capacities: { daily: number; slot: number }, bookingId: string): Promise<Claimed> {
    const units: Unit[] = [{ slot: null, capacity: capacities.daily }];
    if (hold.timeslot !== null) units.push({ slot: hold.timeslot, capacity: capacities.slot });
    return this.claim(hold.garageId, hold.date, units, bookingId);
  }

  async releaseHold(hold: Hold, bookingId: string): Promise<void> {
    if (hold.timeslot !== null) await this.release(hold.garageId, hold.date, hold.timeslot, bookingId);
    await this.release(hold.garageId, hold.date, null, bookingId);
  }

  /** The vehicle lock: one active booking per vehicle. A lock whose booking is gone or over is taken
   * over; otherwise the refusal names the holding booking (null if it vanished meanwhile). A lock that
   * vanishes while we look at it (its booking ended, or the reconciler's sweep removed it) is simply
   * tried again, a few times at most. */
  async lockVehicle(garageId: string, vehicleId: string, bookingId: string, tries = 3): Promise<{ locked: true } | { locked: false; holder: string | null }> {
    if (await this.counters.insertLock(garageId, vehicleId, bookingId)) return { locked: true };
    const holder = await this.counters.findLock(garageId, vehicleId);
    if (!holder) return tries > 1 ? this.lockVehicle(garageId, vehicleId, bookingId, tries - 1) : { locked: false, holder: null };
    if (holder.bookingId === bookingId) return { locked: true };
    if (await this.reconciler.isLockStale(holder.bookingId, holder.at)) {
      if (await this.counters.takeOverLock(garageId, vehicleId, holder.bookingId, bookingId)) return { locked: true };
    }
    // read again like the refusal always did: the holder a partner is told about is the current one
    const current = (await this.counters.findLock(garageId, vehicleId))?.bookingId ?? null;
    if (current === null && tries > 1) return this.lockVehicle(garageId, vehicleId, bookingId, tries - 1);
    return { locked: false, holder: current };
  }

  async unlockVehicle(garageId: string, vehicleId: string, bookingId: string): Promise<void> {
    await this.counters.deleteLock(garageId, vehicleId, bookingId);
  }
}
