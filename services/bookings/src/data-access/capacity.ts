import { isDuplicateKeyError } from '@pitlane/mongo';

import type { Models } from './models';

/** The capacity counters a booking holds: its day, and its slot when it has a timeslot. */
export interface Hold {
  garageId: string;
  date: string;
  timeslot: string | null;
}

export const dayKey = (garageId: string, date: string) => `${garageId}|${date}`;
export const slotKey = (garageId: string, date: string, slot: string) => `${garageId}|${date}|${slot}`;
export const lockKey = (garageId: string, vehicleId: string) => `${garageId}|${vehicleId}`;

/**
 * Race-free capacity without transactions. A unit of capacity is taken by ONE conditional update
 * (`booked < capacity` → `$inc booked` and push the claim with the booking id); the database applies
 * it atomically, so N concurrent claims on a counter of capacity C succeed exactly C times. Releasing
 * is conditional on the booking's claim being there, so it is idempotent and never double-frees.
 */
export class CapacityStore {
  constructor(
    private readonly models: Models,
    /** called when a counter is full: releases claims left behind by a crash */
    private readonly onFull: (key: string) => Promise<unknown>,
  ) {}

  /** Takes one unit of the counter for the booking; false when it is at capacity. */
  async claim(key: string, meta: { garageId: string; date: string; slot: string | null }, capacity: number, bookingId: string): Promise<boolean> {
    if (capacity <= 0) return false;
    const { CapacityCounter } = this.models;
    const attempt = async () =>
      (
        await CapacityCounter.updateOne(
          { _id: key, booked: { $lt: capacity }, 'claims.bookingId': { $ne: bookingId } },
          { $inc: { booked: 1 }, $push: { claims: { bookingId, at: new Date() } } },
        )
      ).matchedCount === 1;
    if (await attempt()) return true;
    // first claim of this day or slot: create the empty counter (concurrent creators: one wins, the
    // others get 11000) and try again; also when another request created it meanwhile
    try {
      await CapacityCounter.updateOne({ _id: key }, { $setOnInsert: { ...meta, booked: 0, claims: [] } }, { upsert: true });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    if (await attempt()) return true;
    // full: let the reconciler free units held by bookings that never were (crash), then try once
    // more even if it freed nothing itself (the periodic sweep may just have done it)
    await this.onFull(key);
    return attempt();
  }

  async release(key: string, bookingId: string): Promise<boolean> {
    const result = await this.models.CapacityCounter.updateOne(
      { _id: key, 'claims.bookingId': bookingId },
      { $inc: { booked: -1 }, $pull: { claims: { bookingId } } },
    );
    return result.modifiedCount === 1;
  }

  /** Claims the day and (if any) the slot; on refusal gives back what it took. */
  async claimHold(hold: Hold, capacities: { daily: number; slot: number }, bookingId: string): Promise<'ok' | 'DATE_AT_CAPACITY' | 'SLOT_AT_CAPACITY'> {
    const day = dayKey(hold.garageId, hold.date);
    if (!(await this.claim(day, { garageId: hold.garageId, date: hold.date, slot: null }, capacities.daily, bookingId))) {
      return 'DATE_AT_CAPACITY';
    }
    if (hold.timeslot === null) return 'ok';
    const slot = slotKey(hold.garageId, hold.date, hold.timeslot);
    const meta = { garageId: hold.garageId, date: hold.date, slot: hold.timeslot };
    if (await this.claim(slot, meta, capacities.slot, bookingId)) return 'ok';
    await this.release(day, bookingId);
    return 'SLOT_AT_CAPACITY';
  }

  async releaseHold(hold: Hold, bookingId: string): Promise<void> {
    if (hold.timeslot !== null) await this.release(slotKey(hold.garageId, hold.date, hold.timeslot), bookingId);
    await this.release(dayKey(hold.garageId, hold.date), bookingId);
  }

  /** The vehicle lock: one active booking per vehicle. A lock whose booking is gone or over is taken over. */
  async lockVehicle(garageId: string, vehicleId: string, bookingId: string, isStale: (holder: string, at: Date) => Promise<boolean>): Promise<boolean> {
    const { VehicleLock } = this.models;
    const key = lockKey(garageId, vehicleId);
    try {
      await VehicleLock.create({ _id: key, garageId, vehicleId, bookingId, at: new Date() });
      return true;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    const holder = await VehicleLock.findById(key).lean();
    if (!holder) return this.lockVehicle(garageId, vehicleId, bookingId, isStale);
    if (holder.bookingId === bookingId) return true;
    if (!(await isStale(holder.bookingId, holder.at))) return false;
    const taken = await VehicleLock.updateOne({ _id: key, bookingId: holder.bookingId }, { $set: { bookingId, at: new Date() } });
    return taken.modifiedCount === 1;
  }

  async unlockVehicle(garageId: string, vehicleId: string, bookingId: string): Promise<void> {
    await this.models.VehicleLock.deleteOne({ _id: lockKey(garageId, vehicleId), bookingId });
  }

  /** Per-garage sequence without 'after' reads (the stand-in can return a later state): before + 1. */
  async nextSequence(name: string): Promise<number> {
    const { Sequence } = this.models;
    for (let attempt = 0; ; attempt++) {
      try {
        const before = await Sequence.findOneAndUpdate({ _id: name }, { $inc: { seq: 1 } }, { upsert: true, returnDocument: 'before' }).lean();
        return (before?.seq ?? 0) + 1;
      } catch (error) {
        if (!isDuplicateKeyError(error) || attempt > 0) throw error; // two first inserts raced: retry once
      }
    }
  }
}
