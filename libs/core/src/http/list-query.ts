import { z } from 'zod';

import { errors } from '../errors';
import '../openapi';
import { cursorState } from './cursor';
import { parseSort, type Pagination, type PaginationOptions } from './pagination';
import { validate } from './validate';

/** How a list reads its query string: the shared page/limit/sort/date parameters plus the list's
 * own filters, as ONE strict zod schema. The route parses with it and the OpenAPI document shows
 * it, so a parameter the document does not name is a 400 VALIDATION_FAILED naming it, never
 * silently ignored (an incremental sync that sent a misspelt `updatedSince` would re-read
 * everything and never know). */
export interface ListQueryOptions<F extends z.ZodRawShape> extends PaginationOptions {
  /** the list's own parameters (filters, `q`, `count`), each as it is validated */
  filters?: F;
  /** `createdFrom`/`createdTo`/`updatedSince` over the resource's createdAt/updatedAt (default true) */
  timestamps?: boolean;
  /** what `dateFrom`/`dateTo` select: the list's own date (bookings' day, invoices' issue date),
   * the creation day (default, where the resource has no date of its own) or nothing at all */
  dates?: 'own' | 'created' | 'none';
  /** partner-facing sort names spelled as stored fields, e.g. name → lastName,firstName */
  sortAliases?: Record<string, string>;
  /** filters that take repeated values (`status=a&status=b`); every other parameter keeps its last value */
  repeatable?: readonly string[];
  /** the list also walks by `?cursor=` in its default order, which must then be `-createdAt` (cursor.ts) */
  cursor?: boolean;
}

export interface ListQuery<F extends z.ZodRawShape> {
  /** the strict query schema, for the OpenAPI document */
  schema: z.ZodObject;
  parse(query: Record<string, unknown>): { pagination: Pagination; filters: z.infer<z.ZodObject<F>> };
}

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
  .refine((value) => {
    const date = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
  }, 'is not a real calendar date')
  .openapi({ format: 'date' });

/** a day (YYYY-MM-DD, UTC) or an instant (ISO 8601 with a zone) */
const dayOrInstant = z
  .string()
  .refine((value) => isoDate.safeParse(value).success || z.iso.datetime({ offset: true }).safeParse(value).success, {
    message: 'must be a date (YYYY-MM-DD) or a date-time (ISO 8601 with a time zone)',
  });

const page = z.coerce.number({ message: 'must be a number' }).int('must be a whole number').min(1, 'must be 1 or more').default(1);
const limit = z.coerce
  .number({ message: 'must be a number' })
  .int('must be a whole number')
  .min(1, 'must be 1 or more')
  .max(100, 'must be 100 or less')
  .default(20);

const cursorParameter = z
  .string()
  .max(512, 'must be 512 characters or less')
  .optional()
  .openapi({
    description:
      'continue a walk in the default order (newest first): pass the `nextCursor` of the previous page, with the same filters. ' +
      'The page then has `pagination: {limit, nextCursor}` (null at the end), no total, and items created meanwhile never shift it. ' +
      'Start a walk with `count=false` (its page carries `nextCursor`); not with `page` or another `sort`.',
  });

function timestampShape() {
  return {
    createdFrom: dayOrInstant.optional().openapi({ description: 'created at or after this instant (a date means its start, UTC)' }),
    createdTo: dayOrInstant.optional().openapi({ description: 'created at or before this instant (a date means the whole day, UTC)' }),
    updatedSince: dayOrInstant
      .optional()
      .openapi({ description: 'changed at or after this instant, for incremental sync: pass the time of your last read (a date means its start, UTC)' }),
  };
}

export function listQuery<F extends z.ZodRawShape = Record<never, z.ZodType>>(options: ListQueryOptions<F>): ListQuery<F> {
  const timestamps = options.timestamps ?? true;
  const dates = options.dates ?? (timestamps ? 'created' : 'none');
  const sortNames = [...options.sortable, ...Object.keys(options.sortAliases ?? {})];
  if (options.cursor && options.defaultSort !== '-createdAt') throw new Error('a cursor list must default to -createdAt, the order a cursor walks');
  const schema = z
    .object({
      page,
      limit,
      sort: z
        .string()
        .optional()
        .openapi({
          description:
            sortNames.length > 0
              ? `comma-separated fields, \`-\` for descending: ${sortNames.join(', ')} (default ${options.defaultSort})`
              : 'none: this list keeps its own order',
        }),
      ...(dates === 'none' ? {} : { dateFrom: isoDate.optional(), dateTo: isoDate.optional() }),
      ...(timestamps ? timestampShape() : {}),
      ...(options.cursor ? { cursor: cursorParameter } : {}),
      ...options.filters,
    })
    .strict();

  return {
    schema,
    parse(query) {
      const unknown = Object.keys(query).filter((key) => !(key in schema.shape));
      if (unknown.length > 0) {
        throw errors.validation(
          `Unknown query parameter${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}.`,
          unknown.map((field) => ({ field, message: `is not a query parameter of this list; allowed: ${Object.keys(schema.shape).join(', ')}` })),
        );
      }
      // a parameter given twice is ambiguous (and q[]=… is how operator injection starts): refused
      // unless the list takes repeated values for it
      const repeated = Object.keys(query).filter((key) => Array.isArray(query[key]) && !options.repeatable?.includes(key));
      if (repeated.length > 0) {
        throw errors.validation('The query is invalid.', repeated.map((field) => ({ field, message: 'must be given once' })));
      }
      const present = Object.fromEntries(Object.entries(query).map(([key, value]) => [key, value === '' ? undefined : value]));
      const parsed = validate(schema, present, 'query') as Record<string, unknown>;
      const pagination = toPagination(parsed, options, dates);
      const cursor = options.cursor ? cursorState(parsed, present, options.defaultSort) : undefined;
      return { pagination: cursor ? { ...pagination, cursor } : pagination, filters: parsed as z.infer<z.ZodObject<F>> };
    },
  };
}

function toPagination(parsed: Record<string, unknown>, options: ListQueryOptions<z.ZodRawShape>, dates: 'own' | 'created' | 'none'): Pagination {
  const str = (key: string) => parsed[key] as string | undefined;
  const [dateFrom, dateTo] = [str('dateFrom'), str('dateTo')];
  if (dateFrom && dateTo && dateFrom > dateTo) {
    throw errors.validation('The query is invalid.', [{ field: 'dateTo', message: 'must not be before dateFrom' }]);
  }
  const createdFrom = str('createdFrom') ?? (dates === 'created' ? dateFrom : undefined);
  const createdTo = str('createdTo') ?? (dates === 'created' ? dateTo : undefined);
  const from = createdFrom ? instantOf(createdFrom, 'start') : undefined;
  const to = createdTo ? instantOf(createdTo, 'end') : undefined;
  if (from && to && from > to) {
    throw errors.validation('The query is invalid.', [{ field: 'createdTo', message: 'must not be before createdFrom' }]);
  }
  const updatedSince = str('updatedSince');
  const sortText = (str('sort') ?? options.defaultSort)
    .split(',')
    .map((part) => {
      const descending = part.trim().startsWith('-');
      const name = part.trim().replace(/^-/, '');
      const alias = options.sortAliases?.[name];
      return alias ? alias.split(',').map((field) => `${descending ? '-' : ''}${field}`).join(',') : part;
    })
    .join(',');
  const pageNo = parsed.page as number;
  const limitNo = parsed.limit as number;
  return {
    page: pageNo,
    limit: limitNo,
    skip: (pageNo - 1) * limitNo,
    sort: parseSort(sortText, [...options.sortable, ...Object.keys(options.sortAliases ?? {})]),
    ...(dates === 'own' && dateFrom ? { dateFrom } : {}),
    ...(dates === 'own' && dateTo ? { dateTo } : {}),
    ...(from ? { createdFrom: from } : {}),
    ...(to ? { createdTo: to } : {}),
    ...(updatedSince ? { updatedSince: instantOf(updatedSince, 'start') } : {}),
  };
}

/** A day is its first millisecond (from) or its last (to), in UTC; an instant is itself. */
function instantOf(value: string, edge: 'start' | 'end'): Date {
  if (value.length === 10) return new Date(`${value}T${edge === 'start' ? '00:00:00.000' : '23:59:59.999'}Z`);
  return new Date(value);
}

export type TimestampRange = Pick<Pagination, 'createdFrom' | 'createdTo' | 'updatedSince'>;

/** The createdAt/updatedAt part of a store filter for a parsed list query ({} when none was given). */
export function timestampFilter(pagination: TimestampRange): Record<string, unknown> {
  const filter: Record<string, unknown> = {};
  if (pagination.createdFrom || pagination.createdTo) {
    filter.createdAt = {
      ...(pagination.createdFrom ? { $gte: pagination.createdFrom } : {}),
      ...(pagination.createdTo ? { $lte: pagination.createdTo } : {}),
    };
  }
  if (pagination.updatedSince) filter.updatedAt = { $gte: pagination.updatedSince };
  return filter;
}
