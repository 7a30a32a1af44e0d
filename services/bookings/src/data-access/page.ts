import { afterCursor, CURSOR_ORDER, encodeCursor, type Pagination } from '@pitlane/core';

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
export function filterOf<F extends Record<string, unknown>>(filter: F, pagination: Pagination): F {
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
