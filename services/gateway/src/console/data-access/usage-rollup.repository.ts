import type { mongo } from 'mongoose';

import type { RollupKind, RollupWrite } from '../domain/usage-increments';

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
    for (const write of writes) byKind.set(write.kind, [...(byKind.get(write.kind) ?? []), write]);
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

  /** `grain: 'daily'` documents have the same shape, `hour` being the day's start. */
  hourly(organisationId: string, from: Date, projection?: Record<string, 1>, grain: 'hourly' | 'daily' = 'hourly'): Promise<HourlyRollup[]> {
    return this.collection<HourlyRollup>(grain)
      .find({ organisationId, hour: { $gte: from } }, projection ? { projection } : {})
      .toArray();
  }

  keyHourly(organisationId: string, keyId: string, from: Date, grain: 'keyHourly' | 'keyDaily' = 'keyHourly'): Promise<KeyHourlyRollup[]> {
    return this.collection<KeyHourlyRollup>(grain)
      .find({ organisationId, keyId, hour: { $gte: from } })
      .toArray();
  }

  keyTotals(organisationId: string): Promise<KeyTotals[]> {
    return this.collection<KeyTotals>('keyTotals').find({ organisationId }).toArray();
  }

  /** Rollups outlive raw records, but not for ever. */
  async purgeBefore(cutoff: Date): Promise<void> {
    for (const kind of ['hourly', 'daily', 'keyHourly', 'keyDaily'] as const) {
      await this.collection(kind).deleteMany({ hour: { $lt: cutoff } });
    }
  }
}
