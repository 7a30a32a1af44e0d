import type { IdempotencyRecord, IdempotencyStore, StoredResponse } from '@pitlane/core';
import { Schema, type Connection, type Model } from 'mongoose';

import { isDuplicateKeyError } from './connection';

interface IdempotencyDoc extends IdempotencyRecord {
  _id: string;
  lockedAt: Date;
  expiresAt: Date;
}

const MODEL = 'IdempotencyKey';

const schema = new Schema<IdempotencyDoc>(
  {
    _id: { type: String, required: true },
    fingerprint: { type: String, required: true },
    state: { type: String, enum: ['in_flight', 'done'], required: true },
    response: { type: Schema.Types.Mixed },
    lockedAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'idempotency_keys', versionKey: false },
);
// MongoDB deletes a key once past expiresAt (24 h after first use); claim() also treats an expired
// record as gone, since the TTL monitor runs only once a minute
schema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

/** Registers the shared collection on a service's connection (startService does, before ensureIndexes). */
export function registerIdempotencyModel(connection: Connection): Model<IdempotencyDoc> {
  return (connection.models[MODEL] as Model<IdempotencyDoc> | undefined) ?? connection.model<IdempotencyDoc>(MODEL, schema);
}

/** The Idempotency-Key store of one service, in its own database (see libs/core http/idempotency.ts). */
export class MongoIdempotencyStore implements IdempotencyStore {
  constructor(private readonly connection: Connection) {}

  private get model(): Model<IdempotencyDoc> {
    return registerIdempotencyModel(this.connection);
  }

  async claim(id: string, fingerprint: string, options: { ttlMs: number; leaseMs: number }): Promise<{ claimed: true } | { claimed: false; record: IdempotencyRecord }> {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const now = new Date();
      const fresh = { fingerprint, state: 'in_flight' as const, lockedAt: now, expiresAt: new Date(now.getTime() + options.ttlMs) };
      try {
        await this.model.create({ _id: id, ...fresh });
        return { claimed: true };
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
      // expired, or in flight past the lease with the same request (its process died): take it over
      const stale = new Date(now.getTime() - options.leaseMs);
      const taken = await this.model
        .findOneAndUpdate(
          { _id: id, $or: [{ expiresAt: { $lte: now } }, { state: 'in_flight', fingerprint, lockedAt: { $lte: stale } }] },
          { $set: fresh, $unset: { response: 1 } },
        )
        .lean()
        .exec();
      if (taken) return { claimed: true };
      const record = await this.model.findById(id).lean<IdempotencyDoc>().exec();
      if (record) return { claimed: false, record };
      // released between our insert and our read: try again
    }
    throw new Error('Idempotency-Key claim did not settle');
  }

  async complete(id: string, response: StoredResponse): Promise<void> {
    await this.model.updateOne({ _id: id }, { $set: { state: 'done', response } }).exec();
  }

  async release(id: string): Promise<void> {
    await this.model.deleteOne({ _id: id, state: 'in_flight' }).exec();
  }
}
