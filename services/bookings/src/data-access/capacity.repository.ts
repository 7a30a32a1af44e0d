import { isDuplicateKeyError } from '@pitlane/mongo';

import type { CounterDoc, VehicleLockDoc } from './capacity.model';
import type { Models } from './models';

export const dayKey = (garageId: string, date: string) => `${garageId}|${date}`;
export const slotKey = (garageId: string, date: string, slot: string) => `${garageId}|${date}|${slot}`;
export const lockKey = (garageId: string, vehicleId: string) => `${garageId}|${vehicleId}`;

export interface CounterMeta {
  garageId: string;
  date: string;
  slot: string | null;
}

/**
 * Capacity counters, vehicle locks and sequences, without transactions. A unit of capacity is taken
 * by ONE conditional update (`booked < capacity` → `$inc booked` and push the claim with the booking
 * id); the database applies it atomically, so N concurrent takes on a counter of capacity C succeed
 * exactly C times. Releasing is conditional on the booking's claim being there, so it is idempotent
 * and never double-frees. The policy around it (retry after reconciling) is application/capacity-store.ts.
 */
export class CapacityRepository {
  constructor(private readonly models: Pick<Models, 'CapacityCounter' | 'VehicleLock' | 'Sequence'>) {}

  /** Takes one unit for the booking; false when the counter is full or does not exist yet. */
  async take(key: string, capacity: number, bookingId: string): Promise<boolean> {
    const result = await this.models.CapacityCounter.updateOne(
      { _id: key, booked: { $lt: capacity }, 'claims.bookingId': { $ne: bookingId } },
      { $inc: { booked: 1 }, $push: { claims: { bookingId, at: new Date() } } },
    );
    return result.matchedCount === 1;
  }

  /** Creates the empty counter (concurrent creators: one wins, the others get 11000, which is fine). */
  async ensureCounter(key: string, meta: CounterMeta): Promise<void> {
    try {
      await this.models.CapacityCounter.updateOne({ _id: key }, { $setOnInsert: { ...meta, booked: 0, claims: [] } }, { upsert: true });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
  }

  async release(key: string, bookingId: string): Promise<boolean> {
    const result = await this.models.CapacityCounter.updateOne(
      { _id: key, 'claims.bookingId': bookingId },
      { $inc: { booked: -1 }, $pull: { claims: { bookingId } } },
    );
    return result.modifiedCount === 1;
  }

  findCounter(key: string): Promise<CounterDoc | null> {
    return this.models.CapacityCounter.findById(key).lean<CounterDoc>().exec();
  }

  /** The garage's counters over a date range, without their claims (availability). */
  countersBetween(garageId: string, from: string, to: string): Promise<Pick<CounterDoc, '_id' | 'booked'>[]> {
    return this.models.CapacityCounter.find({ garageId, date: { $gte: from, $lte: to } }, { claims: 0 }).lean<CounterDoc[]>().exec();
  }

  /** Counters dated `since` or later holding a claim made before `cutoff` (the reconciler's sweep). */
  countersWithClaimsBefore(since: string, cutoff: Date): Promise<CounterDoc[]> {
    return this.models.CapacityCounter.find({ date: { $gte: since }, 'claims.at': { $lt: cutoff } }).lean<CounterDoc[]>().exec();
  }

  /** The insert is the lock (unique _id): false when the vehicle is already locked. */
  async insertLock(garageId: string, vehicleId: string, bookingId: string): Promise<boolean> {
    try {
      await this.models.VehicleLock.create({ _id: lockKey(garageId, vehicleId), garageId, vehicleId, bookingId, at: new Date() });
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  findLock(garageId: string, vehicleId: string): Promise<VehicleLockDoc | null> {
    return this.models.VehicleLock.findById(lockKey(garageId, vehicleId)).lean<VehicleLockDoc>().exec();
  }

  /** Hands the lock from one holder to another, only if the first still holds it. */
  async takeOverLock(garageId: string, vehicleId: string, from: string, to: string): Promise<boolean> {
    const taken = await this.models.VehicleLock.updateOne({ _id: lockKey(garageId, vehicleId), bookingId: from }, { $set: { bookingId: to, at: new Date() } });
    return taken.modifiedCount === 1;
  }

  async deleteLock(garageId: string, vehicleId: string, bookingId: string): Promise<boolean> {
    return (await this.models.VehicleLock.deleteOne({ _id: lockKey(garageId, vehicleId), bookingId })).deletedCount === 1;
  }

  locksOlderThan(cutoff: Date): Promise<VehicleLockDoc[]> {
    return this.models.VehicleLock.find({ at: { $lt: cutoff } }).lean<VehicleLockDoc[]>().exec();
  }

  /** Per-garage sequence without 'after' reads (the stand-in can return a later state): before + 1. */
  async nextSequence(name: string): Promise<number> {
    const { Sequence } = this.models;
    for (let attempt = 0; ; attempt++) {
      try {
        // Stryker disable next-line StringLiteral: mongoose returns the document before the update by default, so dropping 'before' changes nothing
        const before = await Sequence.findOneAndUpdate({ _id: name }, { $inc: { seq: 1 } }, { upsert: true, returnDocument: 'before' }).lean();
        return (before?.seq ?? 0) + 1;
      } catch (error) {
        if (!isDuplicateKeyError(error) || attempt > 0) throw error; // two first inserts raced: retry once
      }
    }
  }
}
