/**
 * The outbox relay's lease rules as plain functions (no database): which documents a relay may
 * claim, how long it holds them, which ones a claim actually won, what it writes back, and how long
 * it waits after a failed pass. outbox.ts sends these filters and updates to the database.
 */

/** How long a relay holds a claimed document unless told otherwise: longer than a slow publish. */
export const DEFAULT_LEASE_MS = 30_000;
/** The longest wait between retries after failed passes (the broker or database is away). */
export const MAX_RETRY_DELAY_MS = 5_000;

/** Documents with pending events that no relay holds: no lease, a cleared one, or one that ran out. */
export function claimableFilter(now: Date): Record<string, unknown> {
  return {
    'outbox.id': { $exists: true },
    $or: [{ outboxLeaseUntil: { $exists: false } }, { outboxLeaseUntil: null }, { outboxLeaseUntil: { $lt: now } }],
  };
}

/*
 * The filters of a claim over known ids put the id list LAST. The stand-in (mongo-java-server) scans
 * the whole collection for any filter that is not exactly `{_id}` and tests each document's keys in
 * the filter's order, stopping at the first that fails; an `$in` costs it a pass over the list per
 * document (43 ms per command among 5 000 bookings, three commands a claim), while the pending
 * outbox or the lease owner turns almost every document away at once (2–4 ms). MongoDB answers
 * either order from the _id index.
 */

/** The documents of `ids` that are pending and free (what a claim may take). */
export function claimFilter(ids: readonly unknown[], now: Date): Record<string, unknown> {
  return { ...claimableFilter(now), _id: { $in: [...ids] } };
}

/** The documents of `ids` that `owner` holds (what a claim reads back and releases). */
export function heldBy(owner: string, ids: readonly unknown[]): Record<string, unknown> {
  return { outboxLeaseOwner: owner, _id: { $in: [...ids] } };
}

/** Documents with events not yet confirmed, held or not. */
export const PENDING = { 'outbox.id': { $exists: true } } as const;

/** What a sweep's query returns of a pending document. */
export interface SweptDocument {
  _id: unknown;
  outboxLeaseUntil?: Date | null;
  outbox?: { id: string }[];
}

/**
 * From the pending documents a sweep found (at most `limit`): the ids no live lease holds, and the
 * events pending among them, known only when the query was not cut at `limit`.
 */
export function sweepFindings(found: readonly SweptDocument[], now: Date, limit: number): { claimable: unknown[]; backlog: number | null } {
  const claimable = found.filter((doc) => !(doc.outboxLeaseUntil instanceof Date) || doc.outboxLeaseUntil < now).map((doc) => doc._id);
  const backlog = found.length < limit ? found.reduce((sum, doc) => sum + (doc.outbox?.length ?? 0), 0) : null;
  return { claimable, backlog };
}

/** The pending events of several collections: unknown (null) as soon as one collection's is. */
export function addBacklog(total: number | null, more: number | null): number | null {
  return total === null || more === null ? null : total + more;
}

/** The update that takes a lease for `owner` from `now` for `leaseMs`. */
export function leaseUpdate(owner: string, now: Date, leaseMs = DEFAULT_LEASE_MS): { $set: { outboxLeaseUntil: Date; outboxLeaseOwner: string } } {
  return { $set: { outboxLeaseUntil: new Date(now.getTime() + leaseMs), outboxLeaseOwner: owner } };
}

/** A lease owner unique to one claim: the relay's instance id and a claim id. */
export function leaseOwner(instanceId: string, claimId: string): string {
  return `${instanceId}:${claimId}`;
}

/** The documents of a read-back that this claim won (another relay may hold the rest). */
export function wonBy<T extends { outboxLeaseOwner?: unknown }>(documents: readonly T[], owner: string): T[] {
  return documents.filter((document) => document.outboxLeaseOwner === owner);
}

/** After publishing: drop exactly the events the broker confirmed and give the lease back. */
export function releaseUpdate(confirmedIds: readonly string[]): Record<string, unknown> {
  return { $pull: { outbox: { id: { $in: [...confirmedIds] } } }, $unset: { outboxLeaseUntil: '', outboxLeaseOwner: '' } };
}

/** A failure as an Error (a broker client may reject with anything). */
export function asError(failure: unknown): Error {
  return failure instanceof Error ? failure : new Error('outbox relay pass failed', { cause: failure });
}

/** The wait after `failures` failed passes in a row: doubling from `baseMs`, at most 5 s. */
export function retryDelay(failures: number, baseMs: number): number {
  return Math.min(baseMs * 2 ** failures, MAX_RETRY_DELAY_MS);
}

/**
 * Document ids handed to the relay right after the write that stored their events, per collection,
 * each once, taken in the order they came in batches of at most `limit`.
 */
export class HandOffQueue {
  private readonly ids = new Map<number, Set<unknown>>();

  add(collection: number, id: unknown): void {
    const set = this.ids.get(collection) ?? new Set<unknown>();
    set.add(id);
    this.ids.set(collection, set);
  }

  /** Up to `limit` ids of one collection, removed from the queue. */
  take(collection: number, limit: number): unknown[] {
    const set = this.ids.get(collection);
    if (!set) return [];
    const taken = [...set].slice(0, limit);
    for (const id of taken) set.delete(id);
    // Stryker disable next-line ConditionalExpression: an emptied set left in the map changes no result (one per collection, bounded)
    if (set.size === 0) this.ids.delete(collection);
    return taken;
  }

  get size(): number {
    let total = 0;
    for (const set of this.ids.values()) total += set.size;
    return total;
  }
}
