import type { Model, QueryFilter, UpdateQuery } from 'mongoose';

/** How many recent event ids a document remembers; redeliveries come within minutes, not thousands of events later. */
const REMEMBERED_EVENTS = 500;

/**
 * Consumer-side dedupe: applies `update` to the one document matched by `filter` unless it already
 * recorded `eventId`, and records the id IN THE SAME WRITE — so a crash between effect and record
 * cannot happen, and a redelivered event changes nothing. The schema needs a `processedEventIds: [String]` field.
 */
export async function applyOnce<T>(
  model: Model<T>,
  filter: QueryFilter<T>,
  update: UpdateQuery<T>,
  eventId: string,
): Promise<'handled' | 'duplicate' | 'missing'> {
  const push: Record<string, unknown> = { ...(update.$push ?? {}) };
  push.processedEventIds = { $each: [eventId], $slice: -REMEMBERED_EVENTS };
  const result = await model.updateOne(
    { $and: [filter, { processedEventIds: { $ne: eventId } }] },
    { ...update, $push: push },
  );
  if (result.matchedCount === 1) return 'handled';
  return (await model.exists(filter)) ? 'duplicate' : 'missing';
}
