import type { Collection, mongo } from 'mongoose';

/** A model's collection seen through the driver with its real `_id` type (this service's ids are
 * strings; the driver's default typing assumes ObjectIds). */
export function driverCollection<T extends { _id: string }>(model: { collection: Collection }): mongo.Collection<T> {
  return model.collection as unknown as mongo.Collection<T>;
}

/** The outbox fields mongoose's schema hides (`select: false`): a driver read leaves them out too. */
const HIDDEN = { outbox: 0, outboxLeaseUntil: 0, outboxLeaseOwner: 0 } as const;

/**
 * A garage's document by its `_id`, through the driver, with a filter of exactly `{_id, garageId}`
 * and the soft delete (when `live`) checked on the document instead of in the filter. Same answer as
 * `findOne({_id, garageId, deletedAt: null}).lean()`, but: the stand-in uses an index only for a
 * filter whose keys are exactly those of a unique index (any other key makes it scan the whole
 * collection: among 40 000 vehicles that is 4 ms a read), so the collection declares the unique
 * `{garageId, _id}` (its shard key, docs/scaling.md: the read stays targeted on a sharded cluster);
 * and the hot path skips mongoose's query casting and middleware.
 */
export async function findOwnedById<T extends { _id: string; garageId: string; deletedAt?: Date | null }>(
  model: { collection: Collection },
  garageId: string,
  id: string,
  options: { live: boolean },
): Promise<T | null> {
  const doc = (await driverCollection<T>(model).findOne({ _id: id, garageId } as mongo.Filter<T>, { projection: HIDDEN })) as T | null;
  if (!doc || (options.live && doc.deletedAt != null)) return null;
  return doc;
}
