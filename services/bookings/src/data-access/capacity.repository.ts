import { isDuplicateKeyError } from '@pitlane/mongo';

import { driverCollection } from './by-id';
import type { CapacityDayDoc, ClaimRow, VehicleLockDoc } from './capacity.model';
import type { Models } from './models';

export const dayKey = (garageId: string, date: string) => `${garageId}|${date}`;
export const lockKey = (garageId: string, vehicleId: string) => `${garageId}|${vehicleId}`;

/** One unit of a day's capacity: the day itself (slot null) or one slot of it, with its capacity. */
export interface Unit {
  slot: string | null;
  capacity: number;
}

/** The field of the day document counting the unit. */
const counterOf = (slot: string | null) => (slot === null ? 'booked' : `slots.${slot}`);

/**
 * Capacity per garage day (day and slot counts in one document), vehicle locks and sequences, without
 * transactions. Units are taken by ONE conditional update (every unit's count `< capacity` → `$inc`
 * them and push the claims with the booking id); the database applies it atomically, so N concurrent
 * takes of a unit of capacity C succeed exactly C times. Releasing is conditional on the booking's
 * claim being there, so it is idempotent and never double-frees. The policy around it (retry after
 * reconciling) is application/capacity-store.ts.
 */
export class CapacityRepository {
  constructor(private readonly models: Pick<Models, 'CapacityDay' | 'VehicleLock' | 'Sequence'>) {}

  /**
   * Takes all the units of the day for the booking at once, creating the day's document on first use
   * (upsert); false when a unit is at capacity or the booking already holds one of them. A full
   * document makes the upsert try an insert of its _id (11000); so does a concurrent first insert, so
   * a duplicate is tried once more before it means "full".
   */
  async take(garageId: string, date: string, units: Unit[], bookingId: string): Promise<boolean> {
    const filter: Record<string, unknown> = { _id: dayKey(garageId, date) };
    const inc: Record<string, number> = {};
    const mine = units.map((unit) => ({ bookingId, slot: unit.slot, at: new Date() }));
    for (const unit of units) {
      // $not $gte rather than $lt: a slot nobody booked yet has no count field at all
      filter[counterOf(unit.slot)] = { $not: { $gte: unit.capacity } };
      inc[counterOf(unit.slot)] = 1;
    }
    // the booking holds nothing of this day yet (create, move to another day), or not this slot (move within the day)
    // Stryker disable next-line OptionalChaining: `units[0].slot` differs only for no units, which no caller passes (claimHold always has the day; update-booking skips an empty claim)
    filter.claims = units.some((u) => u.slot === null) ? { $not: { $elemMatch: { bookingId } } } : { $not: { $elemMatch: { bookingId, slot: units[0]?.slot } } };
    const update = { $inc: inc, $push: { claims: { $each: mine } }, $setOnInsert: { garageId, date } };
    for (let attempt = 0; ; attempt++) {
      try {
        // a driver write: the same command mongoose sends, without its casting on every create
        const result = await driverCollection<CapacityDayDoc>(this.models.CapacityDay).updateOne(filter, update, { upsert: true });
        // Stryker disable next-line ConditionalExpression: an upsert keyed by _id matches, inserts or throws 11000, so `true` for either test (or both) is the same
        return result.matchedCount === 1 || result.upsertedCount === 1;
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        if (attempt > 0) return false;
      }
    }
  }

  /** Gives back one unit the booking holds (no-op when it holds none). */
  async release(garageId: string, date: string, slot: string | null, bookingId: string): Promise<boolean> {
    const result = await this.models.CapacityDay.updateOne(
      { _id: dayKey(garageId, date), claims: { $elemMatch: { bookingId, slot } } },
      { $inc: { [counterOf(slot)]: -1 }, $pull: { claims: { bookingId, slot } } },
    );
    return result.modifiedCount === 1;
  }

  findDay(garageId: string, date: string): Promise<CapacityDayDoc | null> {
    return this.models.CapacityDay.findById(dayKey(garageId, date)).lean<CapacityDayDoc>().exec();
  }

  /** The garage's days over a date range, without their claims (availability). */
  daysBetween(garageId: string, from: string, to: string): Promise<Omit<CapacityDayDoc, 'claims'>[]> {
    return this.models.CapacityDay.find({ garageId, date: { $gte: from, $lte: to } }, { claims: 0 }).lean<CapacityDayDoc[]>().exec();
  }

  /** Days dated `since` or later holding a claim made before `cutoff` (the reconciler's sweep). */
  daysWithClaimsBefore(since: string, cutoff: Date): Promise<CapacityDayDoc[]> {
    return this.models.CapacityDay.find({ date: { $gte: since }, 'claims.at': { $lt: cutoff } }).lean<CapacityDayDoc[]>().exec();
  }

  /** Which of these days (garageId|date keys) have a day document. */
  async existingDays(keys: string[]): Promise<Set<string>> {
    // Stryker disable next-line ConditionalExpression: with no keys the `$in: []` query finds nothing as well; the early return only saves a round trip
    if (keys.length === 0) return new Set();
    const ofKeys = { _id: { $in: keys } };
    // Stryker disable next-line ObjectLiteral: the projection only trims what is read; the set of _ids is the same
    const rows = await this.models.CapacityDay.find(ofKeys, { _id: 1 }).lean<{ _id: string }[]>();
    return new Set(rows.map((row) => row._id));
  }

  /**
   * Creates a day's document from the bookings that hold it, only if it has none ($setOnInsert on an
   * upsert: an existing day, a second run or a second instance changes nothing). True if created.
   */
  async seedDay(garageId: string, date: string, holders: { bookingId: string; slot: string | null }[]): Promise<boolean> {
    const at = new Date();
    const slots: Record<string, number> = {};
    const claims: ClaimRow[] = [];
    for (const { bookingId, slot } of holders) {
      claims.push({ bookingId, slot: null, at });
      if (slot === null) continue;
      slots[slot] = (slots[slot] ?? 0) + 1;
      claims.push({ bookingId, slot, at });
    }
    try {
      const result = await this.models.CapacityDay.updateOne(
        { _id: dayKey(garageId, date) },
        { $setOnInsert: { garageId, date, booked: holders.length, slots, claims } },
        { upsert: true },
      );
      return result.upsertedCount === 1;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false; // another instance seeded it at the same moment
      throw error;
    }
  }

  /** The insert is the lock (unique _id): false when the vehicle is already locked. */
  async insertLock(garageId: string, vehicleId: string, bookingId: string): Promise<boolean> {
    try {
      // a driver insert of the schema's whole document: no mongoose document built on every create
      await driverCollection<VehicleLockDoc>(this.models.VehicleLock).insertOne({ _id: lockKey(garageId, vehicleId), garageId, vehicleId, bookingId, at: new Date() });
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

  /** Reserves `size` numbers of a per-garage sequence in one write and returns the first. No 'after'
   * reads (the stand-in can return a later state): before + 1. */
  async reserveBlock(name: string, size: number): Promise<number> {
    const { Sequence } = this.models;
    for (let attempt = 0; ; attempt++) {
      try {
        // Stryker disable next-line StringLiteral: mongoose returns the document before the update by default, so dropping 'before' changes nothing
        const before = await Sequence.findOneAndUpdate({ _id: name }, { $inc: { seq: size } }, { upsert: true, returnDocument: 'before' }).lean();
        return (before?.seq ?? 0) + 1;
      } catch (error) {
        if (!isDuplicateKeyError(error) || attempt > 0) throw error; // two first inserts raced: retry once
      }
    }
  }
}
