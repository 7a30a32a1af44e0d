import type { Schema } from 'mongoose';

/**
 * In-process hand-off from the write that stores events to the relay that publishes them: right
 * after a single-document write added events to a document's outbox, the relays of this process
 * that publish that collection are told the document's id, so they publish that one document
 * (claimed by `_id`) instead of scanning collections for pending events. Nothing is lost when a
 * hand-off is (a crash between the write and the publish, an api-only process without a relay, a
 * write through the driver that skipped announceOutbox): the relay's slow safety sweep finds it.
 */

/** `id` undefined: a document of the collection, which one unknown (the relay sweeps it). */
type Listener = (id: unknown) => void;
const listeners = new WeakMap<object, Set<Listener>>();

/** Tells this process's relays that document `id` of `model`'s collection has pending events. Call
 * it after a write through the driver (`model.collection.insertOne`); mongoose writes of a schema
 * using outboxPlugin announce themselves. */
export function announceOutbox(model: { collection: object }, id?: unknown): void {
  for (const listener of listeners.get(model.collection) ?? []) listener(id);
}

/** Subscribes to the hand-offs of one collection; returns the unsubscribe function. */
export function onOutboxHandOff(model: { collection: object }, listener: Listener): () => void {
  const set = listeners.get(model.collection) ?? new Set<Listener>();
  set.add(listener);
  listeners.set(model.collection, set);
  return () => set.delete(listener);
}

/** Whether an update adds events to the outbox (withEvents pushes them). */
export function pushesEvents(update: unknown): boolean {
  const push = (update as { $push?: Record<string, unknown> } | null | undefined)?.$push;
  return push !== undefined && push !== null && push.outbox !== undefined;
}

/** A plain `_id` value of a filter (not an operator expression), else undefined. */
export function plainId(filter: Record<string, unknown> | undefined): unknown {
  const id = filter?._id;
  if (id === null || id === undefined) return undefined;
  // an operator expression ({$in: …}) has `$` keys; a string, number, array or ObjectId has none
  return Object.keys(id).some((key) => key.startsWith('$')) ? undefined : id;
}

interface UpdateOutcome {
  matchedCount?: number;
  upsertedId?: unknown;
}

/**
 * What an update with events wrote, from its filter and result: `{id}` of the one document (id
 * undefined when the filter does not name it), or null when nothing was written.
 */
export function updatedDocument(filter: Record<string, unknown> | undefined, result: UpdateOutcome | null | undefined): { id: unknown } | null {
  if (result?.upsertedId !== undefined && result.upsertedId !== null) return { id: result.upsertedId };
  if (!result?.matchedCount) return null;
  return { id: plainId(filter) };
}

/** What the middleware needs of a mongoose query and a document (the hooks' `this` and results). */
interface WriteQuery {
  model: { collection: object };
  getUpdate(): unknown;
  getFilter(): Record<string, unknown>;
  getOptions(): { upsert?: boolean };
}
interface StoredDocument {
  _id: unknown;
  /** absent on the plain objects of an insertMany with `lean: true` */
  get?(path: string): unknown;
  outbox?: unknown;
}
type HookFn = (this: unknown, result: unknown) => void;
type PostHook = (method: string | string[], fn: HookFn) => void;

const hasEvents = (doc: StoredDocument): boolean => {
  // insertMany with `lean: true` hands the hook plain objects, not documents
  const outbox = doc.get ? doc.get('outbox') : doc.outbox;
  return Array.isArray(outbox) && outbox.length > 0;
};

/** Mongoose middleware that announces every write of the schema that stored events. */
export function announceWrites(schema: Schema): void {
  // mongoose's overloads of post() do not type `this` per hook; each hook states what it receives
  const post = schema.post.bind(schema) as unknown as PostHook;
  // 'save' hooks are document middleware, the others query middleware: mongoose's defaults
  post('save', function (result) {
    const doc = result as StoredDocument & { constructor: { collection: object } };
    if (hasEvents(doc)) announceOutbox(doc.constructor, doc._id);
  });
  post('insertMany', function (result) {
    for (const doc of result as StoredDocument[]) if (hasEvents(doc)) announceOutbox(this as { collection: object }, doc._id);
  });
  post(['updateOne', 'updateMany'], function (result) {
    const query = this as WriteQuery;
    if (!pushesEvents(query.getUpdate())) return;
    const written = updatedDocument(query.getFilter(), result as UpdateOutcome);
    // a filter without a plain _id (any updateMany of several documents): id unknown, the relay sweeps
    if (written) announceOutbox(query.model, written.id);
  });
  post('findOneAndUpdate', function (result) {
    const query = this as WriteQuery;
    if (!pushesEvents(query.getUpdate())) return;
    // a raw result (includeResultMetadata) carries the document in `value`
    const raw = result as { _id?: unknown; lastErrorObject?: unknown; value?: { _id?: unknown } | null } | null;
    const doc = raw?.lastErrorObject === undefined ? raw : raw.value;
    if (doc?._id !== undefined) announceOutbox(query.model, doc._id);
    // no document back (returnDocument 'before' on an upsert): written or not, let the relay look
    else if (query.getOptions().upsert) announceOutbox(query.model);
  });
}
