import { errors } from '../errors';
import type { CursorState } from './cursor';

/** A parsed list query (list-query.ts builds it; repositories read it). */
export interface Pagination {
  page: number;
  limit: number;
  skip: number;
  /** mongo-style sort: field → 1 | -1 */
  sort: Record<string, 1 | -1>;
  dateFrom?: string;
  dateTo?: string;
  /** createdAt/updatedAt bounds (list-query.ts; inclusive) */
  createdFrom?: Date;
  createdTo?: Date;
  updatedSince?: Date;
  /** set when the list reads in its cursor order (a cursor list in its default order): the
   * repository then sorts by CURSOR_ORDER and the page carries `nextCursor` (cursor.ts) */
  cursor?: CursorState;
}

export interface PaginationOptions {
  /** fields partners may sort by */
  sortable: readonly string[];
  /** applied when the request has no sort, e.g. '-createdAt' */
  defaultSort: string;
}

/** `sort=field` or `sort=-field` (comma-separated for ties) over a whitelist. */
export function parseSort(sort: string, sortable: readonly string[]): Record<string, 1 | -1> {
  const result: Record<string, 1 | -1> = {};
  for (const part of sort.split(',').map((s) => s.trim()).filter(Boolean)) {
    const descending = part.startsWith('-');
    const field = descending ? part.slice(1) : part;
    if (!sortable.includes(field)) {
      throw errors.validation('The query is invalid.', [
        { field: 'sort', message: `cannot sort by "${field}"; allowed: ${sortable.join(', ')}` },
      ]);
    }
    result[field] = descending ? -1 : 1;
  }
  return result;
}
