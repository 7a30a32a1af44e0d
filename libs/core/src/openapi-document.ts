import { OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

import { openApiRegistry } from './openapi';
import { codeSamples, sampleOf, type Auth } from './openapi-samples';

/** The one public document: every path the services registered, under the gateway's `/api/v1`,
 * with what the gateway adds to each of them (keys, rate limits, its own errors) and the webhook
 * payloads, one per event type. The API Access console's paths (`/console/api/…`, registered by the
 * gateway) keep their own server-relative path and console security: no key, no key rate limit. */
type Json = Record<string, unknown>;
type Operation = Json & { responses: Record<string, unknown>; parameters?: unknown[] };

export interface PublicDocumentOptions {
  version: string;
  /** event type → schema of its `data` (from @pitlane/contracts) */
  events: Record<string, z.ZodType>;
}

const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;
const errorRef = (name: string) => ({ $ref: `#/components/responses/${name}` });
const headerRef = (name: string) => ({ $ref: `#/components/headers/${name}` });
const rateLimitHeaders = ['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', 'RateLimit-Policy', 'RateLimit'];

const registeredEvents = new Set<string>();

function registerWebhooks(events: Record<string, z.ZodType>): void {
  for (const [type, data] of Object.entries(events)) {
    if (registeredEvents.has(type)) continue;
    registeredEvents.add(type);
    const name = `${type.split(/[._]/).map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('')}Event`;
    const payload = openApiRegistry.register(
      name,
      z.object({
        id: z.string().openapi({ description: 'event id; the same as the webhook-id header; deduplicate by it' }),
        type: z.literal(type),
        timestamp: z.string().openapi({ format: 'date-time' }),
        garageId: z.string(),
        data,
      }),
    );
    openApiRegistry.registerWebhook({
      method: 'post',
      path: type,
      summary: `${type} (Standard Webhooks signed POST to your endpoint)`,
      tags: ['Webhook events'],
      request: {
        headers: z.object({
          'webhook-id': z.string(),
          'webhook-timestamp': z.string().openapi({ description: 'seconds since the epoch' }),
          'webhook-signature': z.string().openapi({ description: 'space-separated `v1,<base64 HMAC-SHA256 of id.timestamp.body>`' }),
        }),
        body: { content: { 'application/json': { schema: payload } } },
      },
      responses: { 200: { description: 'Any 2xx within 10 s acknowledges the delivery; anything else is retried with backoff.' } },
    });
  }
}

export function generatePublicDocument(options: PublicDocumentOptions): Json {
  registerWebhooks(options.events);
  const generated = new OpenApiGeneratorV31(openApiRegistry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Pitlane API',
      version: options.version,
      description:
        'The public API of Pitlane: garages, customers, vehicles, bookings, inventory, billing and webhooks. ' +
        'Send your key as `X-API-Key: <key>` or `Authorization: Bearer <key>`. The `Console` paths (`/console/api/…`) are the ' +
        'API Access console: they take the console access token from `POST /console/api/auth/login` (`consoleBearer`), not an API key. ' +
        'Every response uses the envelope ' +
        '`{"success": true, "data": …}` (lists add `pagination`); errors are `{"success": false, "error": {type, message, code, details?}, requestId}`. ' +
        'A path called with a method it does not serve is 405 METHOD_NOT_ALLOWED with an `Allow` header. ' +
        'Short paths (the autoGMS Quick Reference): for a key that reaches exactly one garage, `/api/v1/bookings`, `/api/v1/customers`, ' +
        '`/api/v1/services`, `/api/v1/invoices` and `/api/v1/availability` (and every path below them) are aliases of ' +
        '`/api/v1/garages/{garageId}/…` for that garage; any other key gets 400 GARAGE_REQUIRED naming its garages. They are listed here ' +
        'as aliases only, so that each operation (and its SDK method) exists once.',
    },
    servers: [{ url: '/', description: 'This gateway' }],
    security: [{ ApiKeyHeader: [] }, { BearerAuth: [] }],
  }) as unknown as Json;
  const components = (generated.components ?? {}) as Json;
  const schemas = (components.schemas ?? {}) as Json;
  const paths: Json = {};
  const sharedErrors: Json = {};
  for (const path of Object.keys(generated.paths ?? {}).sort()) {
    const publicPath = isConsole(path) ? path : `/api/v1${path}`;
    const item = (generated.paths as Record<string, Json>)[path] ?? {};
    for (const method of METHODS) {
      const operation = item[method] as Operation | undefined;
      if (operation) decorate(operation, method, publicPath, schemas, sharedErrors);
    }
    paths[publicPath] = item;
  }
  return {
    ...generated,
    paths,
    components: { ...components, securitySchemes, headers, responses: { ...standardResponses, ...sortedKeys(sharedErrors) } },
  };
}

const isConsole = (path: string) => path.startsWith('/console/');

function decorate(operation: Operation, method: string, path: string, schemas: Json, sharedErrors: Json): void {
  const inConsole = isConsole(path);
  const keyless = path.startsWith('/api/v1/public/');
  const auth: Auth = inConsole ? 'console' : keyless ? 'none' : 'key';
  operation.operationId = operationIdOf(method, path);
  if (keyless) operation.security = [];
  // every path: the edge refuses a malformed request (path encoding, control characters, a GET with
  // a body) before any route sees it, next to the operation's own 400 codes
  addErrorCode(operation, '400', 'MALFORMED_REQUEST');
  // every POST behind a key goes through the shared Idempotency-Key middleware (libs/core http/idempotency.ts)
  const idempotent = method === 'post' && !inConsole && !keyless;
  if (idempotent) {
    addErrorCode(operation, '409', 'IDEMPOTENCY_KEY_REUSED');
    addErrorCode(operation, '409', 'IDEMPOTENCY_KEY_IN_USE');
  }
  for (const [status, response] of Object.entries(operation.responses)) {
    if (!(response && typeof response === 'object') || '$ref' in response) continue;
    const withHeaders = response as Json;
    // the console is not rate limited per key: no RateLimit headers on its answers
    const limits = inConsole ? {} : Object.fromEntries(rateLimitHeaders.map((h) => [h, headerRef(h)]));
    const replayed = idempotent && Number(status) < 500 ? { 'Idempotent-Replayed': headerRef('Idempotent-Replayed') } : {};
    withHeaders.headers = { 'X-Request-Id': headerRef('X-Request-Id'), ...limits, ...replayed };
    // the same error with the same codes is one shared response, named after them
    if (Number(status) >= 400 && typeof withHeaders.description === 'string') {
      const name = `Error${status}_${withHeaders.description.replace(/^Error codes: /, '').split(', ').join('_')}`.replace(/[^\w.-]/g, '');
      sharedErrors[name] = withHeaders;
      operation.responses[status] = errorRef(name);
    }
  }
  // a body that is not JSON (multipart on uploads) or in an encoding the edge cannot read
  const bodyErrors = operation.requestBody ? { 415: errorRef('UnsupportedMediaType') } : {};
  // 503 everywhere: a database past its deadline (MONGO_OP_TIMEOUT_MS), besides an unavailable upstream
  const gatewayErrors: Record<string, unknown> = inConsole
    ? { ...bodyErrors, 500: errorRef('InternalError'), 503: errorRef('Unavailable') }
    : keyless
    ? { ...bodyErrors, 429: errorRef('RateLimited'), 500: errorRef('InternalError'), 503: errorRef('Unavailable'), 504: errorRef('Timeout') }
    : {
        401: errorRef('Unauthenticated'),
        402: errorRef('ApiAccessDisabled'),
        403: errorRef('Forbidden'),
        ...(path.includes('{garageId}') && !operation.responses['404'] ? { 404: errorRef('NotFound') } : {}),
        ...bodyErrors,
        429: errorRef('RateLimited'),
        500: errorRef('InternalError'),
        503: errorRef('Unavailable'),
        ...(path.includes('{garageId}') ? { 504: errorRef('Timeout') } : {}),
      };
  operation.responses = { ...operation.responses, ...gatewayErrors };
  const isList = JSON.stringify(operation.responses['200'] ?? {}).includes('"pagination"');
  // lists name their own query (list-query.ts); these fill in for one that does not
  if (isList) {
    const named = new Set((operation.parameters ?? []).map((p) => (p as Json).name));
    operation.parameters = [...(operation.parameters ?? []), ...pageParameters.filter((p) => !named.has(p.name))];
  }
  // the lists that may skip counting (their pagination may be PaginationUncounted) take ?count=false
  if (JSON.stringify(operation.responses['200'] ?? {}).includes('PaginationUncounted') && !(operation.parameters ?? []).some((p) => (p as Json).name === 'count')) {
    operation.parameters = [...(operation.parameters ?? []), countParameter];
  }
  // the console does not take an Idempotency-Key (the partner API's shared middleware does)
  if (idempotent) operation.parameters = [...(operation.parameters ?? []), idempotencyKey];
  const content = ((operation.requestBody as Json | undefined)?.content ?? {}) as Record<string, Json>;
  const json = content['application/json'];
  let body: unknown;
  if (json) {
    body = json.example ?? sampleOf(json.schema, schemas);
    json.example = body;
  }
  operation['x-codeSamples'] = codeSamples(method, path, body, auth);
}

/** Adds `code` to the operation's own error response for `status` (`Error codes: A, B`), or creates it. */
function addErrorCode(operation: Operation, status: string, code: string): void {
  const existing = operation.responses[status] as Json | undefined;
  if (!existing) {
    operation.responses[status] = {
      description: `Error codes: ${code}`,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorEnvelope' } } },
    };
  } else if (typeof existing.description === 'string' && existing.description.startsWith('Error codes: ')) {
    const codes = existing.description.replace(/^Error codes: /, '').split(', ');
    if (!codes.includes(code)) existing.description = `Error codes: ${[...codes, code].join(', ')}`;
  }
}

function operationIdOf(method: string, path: string): string {
  const words = path
    .replace('/api/v1/garages/{garageId}', '/garage')
    .replace('/api/v1', '')
    .split(/[/-]/)
    .filter(Boolean)
    .map((segment) => (segment.startsWith('{') ? `By${segment.slice(1, -1)}` : segment))
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1));
  return `${method}${words.join('')}`;
}

const pageParameters = [
  { name: 'page', in: 'query', required: false, schema: { type: 'integer', minimum: 1, default: 1 } },
  { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
  { name: 'sort', in: 'query', required: false, description: '`field` or `-field` over the resource whitelist', schema: { type: 'string' } },
];

const countParameter = {
  name: 'count',
  in: 'query',
  required: false,
  description: '`false` skips counting the whole match: the pagination then has no `total`/`totalPages`, only `hasMore`',
  schema: { type: 'string', enum: ['true', 'false'], default: 'true' },
};

const idempotencyKey = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'A unique key per intended request (a UUID), 1-255 printable ASCII characters. Kept 24 h per organisation: the same key with the same ' +
    'request answers the first response again with `Idempotent-Replayed: true`; with a different request 409 IDEMPOTENCY_KEY_REUSED; ' +
    'while the first is still running 409 IDEMPOTENCY_KEY_IN_USE. 5xx and 400 answers are not kept (retry with the same key).',
  schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]+$' },
};

const securitySchemes = {
  ApiKeyHeader: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: '`pl_live_…` key from your Pitlane organisation' },
  BearerAuth: { type: 'http', scheme: 'bearer', description: 'The same API key as a bearer token' },
  consoleBearer: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'Console paths only: the short-lived access token from POST /console/api/auth/login or /refresh (not an API key)',
  },
  consoleRefreshCookie: { type: 'apiKey', in: 'cookie', name: 'pitlane_console_refresh', description: 'Console refresh token (httpOnly cookie set at login)' },
};

const integerHeader = (description: string) => ({ description, schema: { type: 'integer' } });
const headers = {
  'X-Request-Id': { description: 'Echoes the client’s X-Request-Id or a generated one; quote it to support.', schema: { type: 'string' } },
  'RateLimit-Limit': integerHeader('Requests allowed per minute for this key (tier: standard 60, premium 300, enterprise 1000).'),
  'RateLimit-Remaining': integerHeader('Requests left in the current window.'),
  'RateLimit-Reset': integerHeader('When the window resets, in epoch seconds.'),
  'RateLimit-Policy': { description: 'draft-ietf-httpapi-ratelimit-headers: `"minute";q=<limit>;w=60`', schema: { type: 'string' } },
  RateLimit: { description: 'draft-ietf-httpapi-ratelimit-headers: `"minute";r=<remaining>;t=<seconds to reset>`', schema: { type: 'string' } },
  'Retry-After': integerHeader('Seconds to wait before retrying.'),
  'Idempotent-Replayed': { description: '`true` when this is the stored answer to an earlier request with the same Idempotency-Key.', schema: { type: 'string', enum: ['true'] } },
};

const envelope = (status: number, type: string, code: string, message: string, extraHeaders: Json = {}) => ({
  description: `${type}: ${code}`,
  headers: { 'X-Request-Id': headerRef('X-Request-Id'), ...extraHeaders },
  content: {
    'application/json': {
      schema: { $ref: '#/components/schemas/ErrorEnvelope' },
      example: { success: false, error: { type, message, code }, requestId: 'req_8f14e45f' },
    },
  },
  'x-status': status,
});
const limited = Object.fromEntries([...rateLimitHeaders, 'Retry-After'].map((h) => [h, headerRef(h)]));
const standardResponses = Object.fromEntries(
  Object.entries({
    Unauthenticated: envelope(401, 'AuthenticationError', 'API_KEY_MISSING | API_KEY_INVALID | API_KEY_REVOKED | API_KEY_EXPIRED', 'Send your API key as X-API-Key or Authorization: Bearer.'),
    ApiAccessDisabled: envelope(402, 'PaymentRequiredError', 'API_ACCESS_DISABLED', 'API access is not enabled for this organisation.'),
    Forbidden: envelope(403, 'PermissionError', 'INSUFFICIENT_PERMISSION', 'This key is read-only.'),
    NotFound: envelope(404, 'NotFoundError', 'RESOURCE_NOT_FOUND | ROUTE_NOT_FOUND', 'Garage not found.'),
    UnsupportedMediaType: envelope(415, 'UnsupportedMediaTypeError', 'UNSUPPORTED_MEDIA_TYPE', 'Send the request body as application/json.'),
    RateLimited: envelope(429, 'RateLimitError', 'RATE_LIMIT_EXCEEDED', 'Rate limit of 60 requests a minute exceeded for this API key.', limited),
    InternalError: envelope(500, 'InternalError', 'INTERNAL_ERROR', 'An unexpected error occurred.'),
    Unavailable: envelope(503, 'ServiceUnavailableError', 'SERVICE_UNAVAILABLE', 'The database did not answer in time. Try again shortly.'),
    Timeout: envelope(504, 'ServiceUnavailableError', 'UPSTREAM_TIMEOUT', 'The bookings service did not answer in time.'),
  }).map(([name, { 'x-status': _status, ...response }]) => [name, response]),
);

function sortedKeys(record: Json): Json {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}
