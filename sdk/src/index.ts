import { randomUUID } from 'node:crypto';

import createClient, { type Client, type MaybeOptionalInit } from 'openapi-fetch';

import { retryingFetch, type RetryOptions } from './retry';
import type { components, paths } from './schema';

export type { components, paths, webhooks } from './schema';
export { retryAfterMs, type RetryOptions } from './retry';
export { verifyWebhook, type WebhookEvent } from './webhooks';

export interface PitlaneOptions {
  /** `pl_live_…`; sent as X-API-Key (omit for the keyless public estimate endpoints) */
  apiKey?: string;
  /** the gateway, e.g. https://api.pitlane.example (paths start with /api/v1) */
  baseUrl: string;
  /** retry 429 after Retry-After and 503 with backoff (default on, 3 retries); false to opt out */
  retry?: RetryOptions | false;
  /** a fetch to send with (tests, proxies); defaults to the global fetch */
  fetch?: (request: Request) => Promise<Response>;
}

export type ErrorEnvelope = components['schemas']['ErrorEnvelope'];

/** A response that was not a success: the API's error envelope, with the status it came with. */
export class PitlaneError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorEnvelope | undefined,
  ) {
    super(body?.error.message ?? `HTTP ${status}`);
    this.name = 'PitlaneError';
  }

  get code(): string | undefined {
    return this.body?.error.code;
  }
}

type Get<P> = P extends { get: infer Op } ? Op : never;
type ListBody<P> = Get<P> extends { responses: { 200: { content: { 'application/json': infer Body } } } } ? Body : never;
/** The paths whose GET answers with the paginated list envelope. */
export type ListPath = { [P in keyof paths]: ListBody<paths[P]> extends { pagination: unknown } ? P : never }[keyof paths];
export type ListItem<P extends ListPath> = ListBody<paths[P]> extends { data: (infer Item)[] } ? Item : never;

export interface Pitlane extends Client<paths> {
  /** Every item of a paginated list, page after page (`limit` sets the page size, at most 100); on a
   * cursor list (bookings, customers, vehicles) pass `count: 'false'` to walk by cursor instead of
   * page numbers, so items created during the walk never shift it. */
  paginate<P extends ListPath>(path: P, init: MaybeOptionalInit<paths[P], 'get'>): AsyncGenerator<ListItem<P>, void, undefined>;
}

/**
 * The Pitlane client: typed paths, bodies and responses (generated from docs/openapi.json), the key
 * on every request, an Idempotency-Key on every POST (yours if you pass the header, else a new UUID,
 * kept across retries), 429/503 retries and pagination.
 */
export function createPitlane(options: PitlaneOptions): Pitlane {
  const send = options.fetch ?? ((request: Request) => globalThis.fetch(request));
  const client = createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    headers: options.apiKey ? { 'X-API-Key': options.apiKey } : {},
    fetch: retryingFetch(send, options.retry ?? {}),
  });
  client.use({
    onRequest({ request }) {
      if (request.method === 'POST' && !request.headers.has('idempotency-key')) request.headers.set('Idempotency-Key', randomUUID());
      return request;
    },
  });

  async function* paginate<P extends ListPath>(path: P, init: MaybeOptionalInit<paths[P], 'get'>): AsyncGenerator<ListItem<P>, void, undefined> {
    const given = (init ?? {}) as { params?: { query?: Record<string, unknown> } };
    const get = client.GET as unknown as (path: string, init: unknown) => Promise<{ data?: unknown; error?: unknown; response: Response }>;
    // page numbers until a page hands out a cursor (a cursor list read with count=false): from then
    // on the cursor, which items created meanwhile cannot shift
    let next: { page: number } | { cursor: string } = { page: Number(given.params?.query?.page ?? 1) };
    for (;;) {
      const { page: _page, count, ...rest } = given.params?.query ?? {};
      const query = 'cursor' in next ? { ...rest, cursor: next.cursor } : { ...rest, ...(count === undefined ? {} : { count }), page: next.page };
      const { data, error, response } = await get(path, { ...given, params: { ...given.params, query } });
      if (!response.ok || !data) throw new PitlaneError(response.status, error as ErrorEnvelope | undefined);
      const body = data as { data: ListItem<P>[]; pagination: { hasMore?: boolean; nextCursor?: string | null } };
      yield* body.data;
      const { nextCursor, hasMore } = body.pagination;
      if (nextCursor !== undefined) {
        if (nextCursor === null || body.data.length === 0) return;
        next = { cursor: nextCursor };
      } else {
        if (!hasMore || body.data.length === 0 || 'cursor' in next) return;
        next = { page: next.page + 1 };
      }
    }
  }

  return Object.assign(client, { paginate });
}
