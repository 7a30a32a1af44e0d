import { z } from 'zod';

import { errors } from '../errors';
import { validate } from './validate';

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
}

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
  .refine((value) => {
    const date = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
  }, 'is not a real calendar date');

const paginationQuery = z.object({
  page: z.coerce.number({ message: 'must be a number' }).int('must be a whole number').min(1, 'must be 1 or more').default(1),
  limit: z.coerce
    .number({ message: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be 1 or more')
    .max(100, 'must be 100 or less')
    .default(20),
  sort: z.string().optional(),
  dateFrom: isoDate.optional(),
  dateTo: isoDate.optional(),
});

export interface PaginationOptions {
  /** fields partners may sort by */
  sortable: readonly string[];
  /** applied when the request has no sort, e.g. '-createdAt' */
  defaultSort: string;
}

/** Parses page/limit/sort/dateFrom/dateTo per API.md; anything out of range is a 400 with details. */
export function parsePagination(query: Record<string, unknown>, options: PaginationOptions): Pagination {
  const picked = {
    page: single(query.page),
    limit: single(query.limit),
    sort: single(query.sort),
    dateFrom: single(query.dateFrom),
    dateTo: single(query.dateTo),
  };
  const parsed = validate(paginationQuery, picked, 'query');
  if (parsed.dateFrom && parsed.dateTo && parsed.dateFrom > parsed.dateTo) {
    throw errors.validation('The query is invalid.', [{ field: 'dateTo', message: 'must not be before dateFrom' }]);
  }
  const sort = parseSort(parsed.sort ?? options.defaultSort, options.sortable);
  return {
    page: parsed.page,
    limit: parsed.limit,
    skip: (parsed.page - 1) * parsed.limit,
    sort,
    ...(parsed.dateFrom ? { dateFrom: parsed.dateFrom } : {}),
    ...(parsed.dateTo ? { dateTo: parsed.dateTo } : {}),
  };
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

function single(value: unknown): unknown {
  if (Array.isArray(value)) return value[value.length - 1];
  return value === '' ? undefined : value;
}
