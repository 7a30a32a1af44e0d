import { isDuplicateKeyError } from '@pitlane/mongo';
import type { mongo } from 'mongoose';

export type SnapshotOutcome = 'handled' | 'duplicate';

interface PendingUpsert {
  operation: mongo.AnyBulkWriteOperation;
  resolve(outcome: SnapshotOutcome): void;
  reject(error: unknown): void;
}

/** Upserts per bulk write: bounds one write (and what one failed write takes back). */
const MAX_BATCH = 500;

/**
 * Upserts guarded by the event time (a copy is only overwritten by a copy that is not older), for one
 * collection, written in batches: every completed booking refreshes billing's customer and vehicle
 * copies, and one command per copy cost as much as the invoice itself. Upserts that arrive while a
 * batch is written wait and go out together as ONE unordered bulk write: one upsert's failure stops
 * none of the others, and two copies of one document in a batch end as the newer one in any order.
 *
 * The filter only matches a copy that is not newer than the event, so a late, older event falls
 * through to the insert of the upsert and hits the `_id`: 11000 means "a newer copy is already
 * there" ('duplicate'). A redelivered event rewrites the same values (harmless).
 */
export function snapshotWriter(collection: () => Pick<mongo.Collection, 'bulkWrite'>) {
  let pending: PendingUpsert[] = [];
  let writing = false;

  async function writeAll(): Promise<void> {
    writing = true;
    while (pending.length > 0) {
      const batch = pending.slice(0, MAX_BATCH);
      pending = pending.slice(MAX_BATCH);
      await write(batch);
    }
    writing = false;
  }

  async function write(batch: PendingUpsert[]): Promise<void> {
    try {
      await collection().bulkWrite(
        batch.map((upsert) => upsert.operation),
        { ordered: false },
      );
      for (const upsert of batch) upsert.resolve('handled');
    } catch (error) {
      const failed = new Map<number, unknown>();
      for (const writeError of (error as { writeErrors?: { index: number; code?: unknown }[] }).writeErrors ?? []) failed.set(writeError.index, writeError);
      if (failed.size === 0) {
        // nothing says which failed: every upsert of the batch gets the error (their events are retried)
        for (const upsert of batch) upsert.reject(error);
        return;
      }
      for (const [index, upsert] of batch.entries()) {
        const writeError = failed.get(index);
        if (writeError === undefined) upsert.resolve('handled');
        else if (isDuplicateKeyError(writeError)) upsert.resolve('duplicate');
        else upsert.reject(error);
      }
    }
  }

  return {
    upsert(id: string, sourceAt: Date, values: object): Promise<SnapshotOutcome> {
      return new Promise<SnapshotOutcome>((resolve, reject) => {
        // `_id` is a string (garageId:id), where the driver's untyped collections expect an ObjectId
        const filter = { _id: id, sourceAt: { $lte: sourceAt } } as unknown as mongo.Filter<mongo.Document>;
        pending.push({
          operation: { updateOne: { filter, update: { $set: { ...values, sourceAt } }, upsert: true } },
          resolve,
          reject,
        });
        // the first upsert waits one turn of the event loop: the handlers resumed by the same
        // invoice group (or delivered in the same read from the broker) join its batch
        if (!writing) {
          writing = true;
          setImmediate(() => void writeAll());
        }
      });
    },
  };
}
