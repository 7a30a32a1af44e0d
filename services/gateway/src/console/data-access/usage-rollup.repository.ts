import type { mongo } from 'mongoose';

import type { RollupKind, RollupWrite } from '../domain/usage-increments';
import { keyRollupId, rollupId } from '../domain/usage-keys';

/** One hour of an organisation's traffic (see rollupWrites for the maps). */
export interface HourlyRollup {
  _id: string;
  organisationId: string;
  hour: Date;
  c: number;
  e: number;
  b: number;
  l: number;
  lat?: Record<string, number>;
  size?: Record<string, number>;
  m?: Record<string, { c: number; e?: number }>;
  r?: Record<string, { c: number; e?: number; l?: number }>;
  g?: Record<string, { c: number; e?: number; l?: number; b?: number }>;
  k?: Record<string, { c: number; e?: number; b?: number; l?: number; m?: Record<string, number> }>;
  err?: Record<string, { c: number; r?: Record<string, number> }>;
  ua?: Record<string, number>;
  ip?: Record<string, number>;
  /** daily documents only: requests by UTC hour of day */
  hod?: Record<string, number>;
}

export interface UsageCell {
  c: number;
  e?: number;
  b?: number;
  l?: number;
  h?: Record<string, number>;
}

export interface KeyHourlyRollup {
  _id: string;
  organisationId: string;
  keyId: string;
  hour: Date;
  c: number;
  e?: number;
  b?: number;
  l?: number;
  lat?: Record<string, number>;
  /** hourly documents: garage|method|status class|route → counters */
  cell?: Record<string, UsageCell>;
  /** daily documents: "METHOD route" → counters */
  ep?: Record<string, UsageCell>;
}

export interface KeyTotals {
  _id: string;
  organisationId: string;
  c: number;
  e?: number;
  first?: Date;
  last?: Date;
}

const COLLECTIONS: Record<RollupKind, string> = {
  hourly: 'usage_hourly',
  daily: 'usage_daily',
  keyHourly: 'usage_key_hourly',
  keyDaily: 'usage_key_daily',
  keyTotals: 'usage_key_totals',
};

/**
 * The usage rollups: `$inc` upserts into hourly documents (atomic per document, so concurrent gateway
 * instances add up; no transactions needed). Reads return plain documents for the use-cases to merge.
 */
export class UsageRollupRepository {
  constructor(private readonly db: mongo.Db) {}

  private collection<T extends mongo.Document>(kind: RollupKind): mongo.Collection<T> {
    return this.db.collection<T>(COLLECTIONS[kind]);
  }

  async apply(writes: RollupWrite[]): Promise<void> {
    const byKind = new Map<RollupKind, RollupWrite[]>();
    for (const write of writes) {
      const ofKind = byKind.get(write.kind) ?? [];
      ofKind.push(write);
      byKind.set(write.kind, ofKind);
    }
    for (const [kind, list] of byKind) {
      await this.collection<{ _id: string }>(kind).bulkWrite(
        list.map((write) => ({
          updateOne: {
            filter: { _id: write.id },
            update: {
              $setOnInsert: write.setOnInsert,
              $inc: write.inc,
              ...(write.min ? { $min: write.min } : {}),
              ...(write.max ? { $max: write.max } : {}),
            },
            upsert: true,
          },
        })),
        { ordered: false },
      );
    }
  }

  /** Organisation rollups of the given periods (`grain: 'daily'`: `hour` is the day's start), by exact `_id`
   * (see rollupId): the stand-in answers `_id: {$in}` from its primary index, any other filter by a scan. */
  periods(organisationId: string, starts: Date[], projection?: Record<string, 1>, grain: 'hourly' | 'daily' = 'hourly'): Promise<HourlyRollup[]> {
    return this.collection<HourlyRollup>(grain)
      .find({ _id: { $in: starts.map((start) => rollupId(organisationId, start)) } }, projection ? { projection } : {})
      .toArray();
  }

  keyPeriods(
    organisationId: string,
    keyId: string,
    starts: Date[],
    grain: 'keyHourly' | 'keyDaily' = 'keyDaily',
    projection?: Record<string, 1>,
  ): Promise<KeyHourlyRollup[]> {
    return this.collection<KeyHourlyRollup>(grain)
      .find({ _id: { $in: starts.map((start) => keyRollupId(organisationId, keyId, start)) } }, projection ? { projection } : {})
      .toArray();
  }

  /** Lifetime totals of the given keys (`_id` is the key id). */
  keyTotals(keyIds: string[]): Promise<KeyTotals[]> {
    return this.collection<KeyTotals>('keyTotals').find({ _id: { $in: keyIds } }).toArray();
  }

  /** Rollups outlive raw records, but not for ever. */
  async purgeBefore(cutoff: Date): Promise<void> {
    for (const kind of ['hourly', 'daily', 'keyHourly', 'keyDaily'] as const) {
      await this.collection(kind).deleteMany({ hour: { $lt: cutoff } });
    }
  }
}
