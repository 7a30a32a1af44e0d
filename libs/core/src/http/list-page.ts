import type { Response } from 'express';
import { z } from 'zod';

import { afterCursor, CURSOR_ORDER, encodeCursor } from './cursor';
import { paginationMeta } from './envelope';
import type { Pagination } from './pagination';
import { validate } from './validate';

/** A page of a list: its items and either the total (counted) or only whether more follow; on a
 * list read in its cursor order also where the next page starts (null at the end). */
export interface Page<T> {
  items: T[];
  total: number | null;
  hasMore: boolean;
  nextCursor?: string | null;
}

/**
 * How a list reads its order from the store. `index` (MongoDB): sort by the fields, which an index
 * serves in order. `natural` (the mongo-java-server stand-in with its memory backend,
 * LIST_ORDER=natural): the stand-in uses no secondary index and sorts by collecting and sorting every
 * match (~100–250 ms at 50k documents), but it keeps documents in insertion order and walks them
 * lazily, stopping at the limit (~5 ms). Documents are written as their createdAt is stamped, so
 * newest-first by insertion is newest-first by createdAt there, and the cursor order reads
 * `$natural: -1` instead of sorting (exact unless two creates race within the same milliseconds,
 * which the stand-in's users — tests, benches, demos — do not rely on). Any other sort is a real
 * sort on both.
 */
export type ListOrder = 'index' | 'natural';

type Sort = Record<string, 1 | -1>;

/** The sort to send for a page: the cursor order (natural or indexed) or the request's own
 * fields with `tiebreak` so equal values never overlap or skip between pages. */
export function sortOf(pagination: Pagination, order: ListOrder, tiebreak: Sort = { _id: 1 }): Sort {
  if (pagination.cursor) return order === 'natural' ? { $natural: -1 } : { ...CURSOR_ORDER };
  return { ...pagination.sort, ...tiebreak };
}

/** The store filter of a page: `filter`, narrowed to past the cursor on a cursor page. */
export function pageFilter<F extends Record<string, unknown>>(filter: F, pagination: Pagination): F {
  return afterCursor(filter, pagination.cursor?.after);
}

/**
 * Reads one page. Counted: the page and the count of the whole match in parallel. Not counted: one
 * document past the limit tells whether more follow, and the count (a full scan of the match on the
 * stand-in, 15–85 ms at 50k documents) is never run. A cursor page is never counted.
 */
export async function pageOf<T extends { _id: string; createdAt: Date }>(
  read: (limit: number) => Promise<T[]>,
  count: () => Promise<number>,
  pagination: Pagination,
  counted: boolean,
): Promise<Page<T>> {
  const cursor = pagination.cursor;
  if (counted && !cursor?.requested) {
    const [items, total] = await Promise.all([read(pagination.limit), count()]);
    return { items, total, hasMore: pagination.skip + items.length < total };
  }
  const read1 = await read(pagination.limit + 1);
  const items = read1.slice(0, pagination.limit);
  const hasMore = read1.length > pagination.limit;
  const last = items.at(-1);
  if (!cursor) return { items, total: null, hasMore };
  return { items, total: null, hasMore, nextCursor: hasMore && last ? encodeCursor(cursor.filters, last) : null };
}

const countQuery = z.object({
  count: z.enum(['true', 'false'], { message: 'must be true or false' }).default('true'),
});

/** `?count=false` skips counting the whole match (costly on large lists): the page then says only
 * whether more follow (read as one item past the limit). Without it the envelope is unchanged.
 * A cursor page (`?cursor=`) is never counted. */
export function wantsTotal(query: Record<string, unknown>, pagination?: Pick<Pagination, 'cursor'>): boolean {
  if (pagination?.cursor?.requested) return false;
  const raw = Array.isArray(query.count) ? (query.count as unknown[]).at(-1) : query.count;
  return validate(countQuery, { count: raw === '' ? undefined : raw }, 'query').count === 'true';
}

/** The list envelope: with a total as always; without total/totalPages when it was not counted
 * (plus `nextCursor` in a cursor list's default order); `{limit, nextCursor}` for a cursor page. */
export function sendPage<T>(res: Response, page: Page<T>, pagination: Pick<Pagination, 'page' | 'limit' | 'cursor'>, view: (item: T) => unknown): void {
  const next = page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor };
  const meta = pagination.cursor?.requested
    ? { limit: pagination.limit, nextCursor: page.nextCursor ?? null }
    : page.total === null
      ? { page: pagination.page, limit: pagination.limit, hasMore: page.hasMore, ...next }
      : paginationMeta(pagination, page.total);
  res.status(200).json({ success: true, data: page.items.map(view), pagination: meta });
}
