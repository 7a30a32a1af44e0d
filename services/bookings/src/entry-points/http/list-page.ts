import { paginationMeta, validate, type Pagination } from '@pitlane/core';
import type { Response } from 'express';
import { z } from 'zod';

import type { Page } from '../../data-access/page';


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
