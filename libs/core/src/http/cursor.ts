import { createHash } from 'node:crypto';

import { errors } from '../errors';

/**
 * Cursor pagination (`?cursor=…`): a keyset over the order every cursor list shares, newest first
 * by createdAt with the id breaking ties. A page reads the items strictly after the last one the
 * previous page returned, so an item created or changed meanwhile never shifts the walk: every item
 * that existed when the walk began comes exactly once, and no page needs a count or a skip.
 *
 * The cursor is base64url JSON `{v, f, c, i}` (f: the fingerprint of the filters it was issued
 * for, c/i: the last item's createdAt and id) followed by a checksum. It is validated, not signed:
 * a hand-made cursor can only name another position in the same garage's list (the garage filter
 * is always applied), so the checksum is there to turn a truncated or edited cursor into a clear
 * 400 rather than a silently different page.
 */
export interface CursorPosition {
  createdAt: Date;
  id: string;
}

/** What a list query carries when it reads in the cursor order (see list-query.ts). */
export interface CursorState {
  /** fingerprint of the filters: a cursor continues only the list it was issued for */
  filters: string;
  /** where the page starts (exclusive); null on the first page */
  after: CursorPosition | null;
  /** the request named `?cursor=`: the envelope is then `{limit, nextCursor}` */
  requested: boolean;
}

/** the order a cursor walks: a store index { garageId: 1, createdAt: -1, _id: -1 } serves it */
export const CURSOR_ORDER = { createdAt: -1, _id: -1 } as const;

const VERSION = 1;
const CHECK_LENGTH = 12;

function checksum(body: string): string {
  return createHash('sha256').update(`pitlane-cursor:${body}`).digest('base64url').slice(0, CHECK_LENGTH);
}

/** The fingerprint of a list's filters (everything but page, limit, sort, count and cursor). */
export function filterFingerprint(filters: Record<string, unknown>): string {
  const entries = Object.entries(filters)
    .filter(([, value]) => value !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return createHash('sha256').update(JSON.stringify(entries)).digest('base64url').slice(0, 10);
}

export function encodeCursor(filters: string, last: { createdAt: Date; _id: string }): string {
  const body = Buffer.from(JSON.stringify({ v: VERSION, f: filters, c: last.createdAt.toISOString(), i: last._id })).toString('base64url');
  return `${body}.${checksum(body)}`;
}

const invalid = (message: string) => errors.validation('The query is invalid.', [{ field: 'cursor', message }]);

/** The position a cursor names, or a 400 naming `cursor` when it is not one this list issued. */
export function decodeCursor(cursor: string, filters: string): CursorPosition {
  const [body, check, ...rest] = cursor.split('.');
  if (!body || !check || rest.length > 0 || check !== checksum(body)) throw invalid('is not a cursor this API issued (pass nextCursor unchanged)');
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    throw invalid('is not a cursor this API issued (pass nextCursor unchanged)');
  }
  const { v, f, c, i } = (payload ?? {}) as Record<string, unknown>;
  const createdAt = typeof c === 'string' ? new Date(c) : null;
  if (v !== VERSION || typeof f !== 'string' || typeof i !== 'string' || i.length === 0 || !createdAt || Number.isNaN(createdAt.getTime())) {
    throw invalid('is not a cursor this API issued (pass nextCursor unchanged)');
  }
  if (f !== filters) throw invalid('was issued for other filters: pass the same filters with every page of a cursor walk');
  return { createdAt, id: i };
}

/**
 * `filter` narrowed to the items strictly after `after` in CURSOR_ORDER (unchanged on a first page):
 * createdAt at or before the cursor's, and, at the same instant, a smaller id. The plain createdAt
 * bound comes first: MongoDB takes it as the index range, and a store that matches documents one by
 * one (the stand-in) turns the newer ones away on one date comparison. An `$and`, so a filter's own
 * `$or` (a search, a technician) and createdAt range are kept.
 */
export function afterCursor<F extends Record<string, unknown>>(filter: F, after: CursorPosition | null | undefined): F {
  if (!after) return filter;
  const { $and, ...rest } = filter;
  const past = [{ createdAt: { $lte: after.createdAt } }, { $or: [{ createdAt: { $lt: after.createdAt } }, { _id: { $lt: after.id } }] }];
  return { $and: [...past, ...((($and as unknown[] | undefined) ?? []))], ...rest } as unknown as F;
}

/** the parameters that shape a page rather than select items: a cursor is not bound to them */
const PAGE_SHAPING = new Set(['page', 'limit', 'sort', 'count', 'cursor']);

/**
 * How a cursor list reads this request: in its cursor order (with the position of `?cursor=`) when
 * the request keeps the default order, else undefined (an ordinary page by `sort`). A cursor with a
 * page, another sort or count=true is a 400 naming `cursor`: each would silently mean something else.
 */
export function cursorState(parsed: Record<string, unknown>, given: Record<string, unknown>, defaultSort: string): CursorState | undefined {
  const sort = typeof given.sort === 'string' ? given.sort.replace(/\s/g, '') : undefined;
  const defaultOrder = sort === undefined || sort === defaultSort;
  const cursor = parsed.cursor as string | undefined;
  const filters = filterFingerprint(Object.fromEntries(Object.entries(parsed).filter(([key]) => !PAGE_SHAPING.has(key))));
  if (cursor === undefined) return defaultOrder ? { filters, after: null, requested: false } : undefined;
  const conflicts = [
    given.page !== undefined ? 'page (a cursor already says where the page starts)' : null,
    defaultOrder ? null : `sort=${sort} (a cursor walks the default order, ${defaultSort})`,
    given.count === 'true' ? 'count=true (a cursor page has no total)' : null,
  ].filter((text): text is string => text !== null);
  if (conflicts.length > 0) throw invalid(`cannot be combined with ${conflicts.join(', ')}`);
  return { filters, after: decodeCursor(cursor, filters), requested: true };
}
