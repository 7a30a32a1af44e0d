import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

import { errorEnvelopeSchema, openApiRegistry } from './openapi';

/** The envelopes of API.md, as zod schemas the services wrap around their resources when they
 * register a path, so every success response in the document names the resource it carries. */
export const paginationSchema = openApiRegistry.register(
  'Pagination',
  z.object({
    page: z.number().int().min(1),
    limit: z.number().int().min(1).max(100),
    total: z.number().int().min(0),
    totalPages: z.number().int().min(0),
    hasMore: z.boolean(),
  }),
);

/** A list asked not to count its matches (`?count=false`) says only whether more follow. */
export const uncountedPaginationSchema = openApiRegistry.register(
  'PaginationUncounted',
  z.object({
    page: z.number().int().min(1),
    limit: z.number().int().min(1).max(100),
    hasMore: z.boolean(),
    nextCursor: z
      .string()
      .nullable()
      .optional()
      .openapi({ description: 'on a cursor list in its default order: pass it as `?cursor=` for the next page (null at the end)' }),
  }),
);

/** A page read by `?cursor=` (cursor.ts): where the next one starts, null at the end; never a total. */
export const cursorPaginationSchema = openApiRegistry.register(
  'PaginationCursor',
  z.object({
    limit: z.number().int().min(1).max(100),
    nextCursor: z.string().nullable().openapi({ description: 'pass it as `?cursor=` for the next page; null: this was the last page' }),
  }),
);

/** `{"success": true, "data": …}` */
export function dataEnvelope<T extends z.ZodType>(data: T) {
  return z.object({ success: z.literal(true), data });
}

/** `{"success": true, "data": [...], "pagination": {...}}` */
export function listEnvelope<T extends z.ZodType>(item: T, options: { countOptional?: boolean; cursor?: boolean } = {}) {
  const pagination = options.cursor
    ? z.union([paginationSchema, uncountedPaginationSchema, cursorPaginationSchema])
    : options.countOptional
      ? z.union([paginationSchema, uncountedPaginationSchema])
      : paginationSchema;
  return z.object({ success: z.literal(true), data: z.array(item), pagination });
}

type Responses = RouteConfig['responses'];

/** How an operation answers when it succeeds: the resource in the data envelope, a page of them,
 * no body (204) or another media type (a PDF, an attachment). */
export type Success =
  | { status?: 200 | 201 | 202; data: z.ZodType; list?: false }
  | { status?: 200; data: z.ZodType; list: true; countOptional?: boolean; cursor?: boolean }
  | { status: 204 }
  | { status?: 200; mediaType: string | string[] };

export function successResponses(description: string, success: Success): Responses {
  if ('mediaType' in success) {
    const types = typeof success.mediaType === 'string' ? [success.mediaType] : success.mediaType;
    return { 200: { description, content: Object.fromEntries(types.map((type) => [type, { schema: z.string().openapi({ format: 'binary' }) }])) } };
  }
  if (success.status === 204) return { 204: { description } };
  const schema = success.list ? listEnvelope(success.data, { countOptional: success.countOptional, cursor: success.cursor }) : dataEnvelope(success.data);
  return { [success.status ?? 200]: { description, content: { 'application/json': { schema } } } };
}

/** The service-specific error statuses of an operation, each with the codes it may carry (the
 * gateway's own 401/402/403/429/5xx are added to every API-key operation when the document is
 * assembled; the console's paths name their own 401/402/403). */
export function errorResponses(codes: Partial<Record<400 | 401 | 402 | 403 | 404 | 409 | 410 | 413 | 422, string[]>>): Responses {
  const responses: Responses = {};
  for (const [status, list] of Object.entries(codes)) {
    if (!list || list.length === 0) continue;
    responses[status] = {
      description: `Error codes: ${list.join(', ')}`,
      content: { 'application/json': { schema: errorEnvelopeSchema } },
    };
  }
  return responses;
}
