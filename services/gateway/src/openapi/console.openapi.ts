import { errorResponses, openApiRegistry, successResponses, type Success } from '@pitlane/core';
import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

import { auditQuery, corsBody, createKeyBody, inviteBody, loginBody, passwordBody, rotateKeyBody } from '../console/entry-points/console.schemas';
import { ROLES } from '../console/domain/roles';

/** The API Access console's JSON API (issue 10) in the same document, under the `Console` tag: served
 * by the gateway at `/console/api/…` (outside `/api/v1`), authenticated with the console's bearer
 * access token (`consoleBearer`), never an API key. Imported by the document generator only. */
const timestamp = z.string().openapi({ format: 'date-time', example: '2026-03-02T09:15:00.000Z' });
const role = z.enum(ROLES);
const latency = z.object({ p50: z.number().nullable(), p95: z.number().nullable(), p99: z.number().nullable() });

const session = openApiRegistry.register(
  'ConsoleSession',
  z.object({
    accessToken: z.string().openapi({ description: 'send as `Authorization: Bearer <token>` to the other console paths' }),
    expiresIn: z.number().int().openapi({ description: 'seconds' }),
    user: z.object({
      id: z.string(), email: z.string(), role, mustChangePassword: z.boolean(),
      organisation: z.object({ id: z.string(), name: z.string(), apiAccessEnabled: z.boolean() }),
    }),
  }),
);
const consoleKey = openApiRegistry.register(
  'ConsoleApiKey',
  z.object({
    id: z.string(), name: z.string(), prefix: z.string().openapi({ description: 'the masked start of the key' }),
    permission: z.enum(['read', 'read_write']), garageIds: z.array(z.string()), expiresAt: timestamp.nullable(),
    status: z.enum(['active', 'revoked', 'expired']), createdAt: timestamp, lastUsedAt: timestamp.nullable(), revokedAt: timestamp.nullable(),
    replacedBy: z.string().nullable(),
  }),
);
const keySummary = z.object({
  requests30d: z.number().int(), methods30d: z.record(z.string(), z.number().int()), lifetimeRequests: z.number().int(),
  errors30d: z.number().int(), errors24h: z.number().int(), errorSpike: z.boolean(), averageLatencyMs: z.number().nullable(),
  bytes30d: z.number().int(), firstRequestAt: timestamp.nullable(), lastRequestAt: timestamp.nullable(),
});
const keyList = z.object({ activeKeys: z.number().int(), maxActiveKeys: z.number().int(), items: z.array(consoleKey.extend({ usage: keySummary })) });
const rawKey = z.string().openapi({ description: 'the full key, shown this once' });
const perEndpoint = { method: z.string(), route: z.string() };
const keyUsage = openApiRegistry.register(
  'ConsoleKeyUsage',
  z.object({
    key: consoleKey, summary: keySummary, latencyMs: latency,
    daily: z.array(z.object({ date: z.string().openapi({ format: 'date' }), requests: z.number().int(), errors: z.number().int(), bytes: z.number().int(), averageLatencyMs: z.number().nullable() })),
    endpoints: z.array(z.object({ ...perEndpoint, requests: z.number().int(), errors: z.number().int(), bytes: z.number().int(), averageLatencyMs: z.number().nullable(), p95LatencyMs: z.number().nullable() })),
  }),
);
const overview = openApiRegistry.register(
  'ConsoleUsageOverview',
  z.object({
    from: timestamp, to: timestamp, totalRequests: z.number().int(), errors: z.number().int(), errorRate: z.number(),
    averageLatencyMs: z.number().nullable(), latencyMs: latency, bytesTransferred: z.number().int(),
  }),
);
const counted = { count: z.number().int() };
const analytics = openApiRegistry.register(
  'ConsoleUsageAnalytics',
  z.object({
    totalRequests: z.number().int(),
    methods: z.array(z.object({ method: z.string(), ...counted, share: z.number() })),
    topEndpoints: z.array(z.object({ ...perEndpoint, ...counted, errors: z.number().int(), averageLatencyMs: z.number().nullable() })),
    recentErrors: z.array(z.object({ status: z.number().int(), code: z.string().nullable(), ...counted, samplePaths: z.array(z.string()) })),
    requestsByHourUtc: z.array(z.object({ hour: z.number().int(), ...counted })),
    responseSizes: z.array(z.object({ range: z.string(), ...counted })),
    topUserAgents: z.array(z.object({ userAgent: z.string(), ...counted })),
    topIps: z.array(z.object({ ip: z.string(), ...counted })),
    garages: z.array(z.object({
      garageId: z.string().nullable(), name: z.string(), ...counted, errors: z.number().int(), errorRate: z.number(),
      averageLatencyMs: z.number().nullable(), bytes: z.number().int(),
    })),
  }),
);
const auditRecord = openApiRegistry.register(
  'ConsoleAuditRecord',
  z.object({
    timestamp, requestId: z.string(), keyId: z.string().nullable(), garageId: z.string().nullable(), method: z.string(), route: z.string(),
    status: z.number().int(), latencyMs: z.number(), responseBytes: z.number().int(), userAgent: z.string().nullable(),
    clientIp: z.string().nullable(), errorCode: z.string().nullable(),
  }),
);
const auditPage = openApiRegistry.register(
  'ConsoleAuditPage',
  z.object({
    items: z.array(auditRecord),
    limit: z.number().int(),
    nextCursor: z.string().nullable().openapi({ description: 'pass as `cursor` for the next (older) page; null at the end' }),
  }),
);
const consoleUser = openApiRegistry.register(
  'ConsoleUser',
  z.object({ id: z.string(), email: z.string(), role, mustChangePassword: z.boolean(), createdAt: timestamp }),
);

/** How a console operation is authenticated: none (login), the refresh cookie, or the access token. */
type Auth = 'none' | 'cookie' | 'bearer';
const securityOf: Record<Auth, RouteConfig['security']> = {
  none: [],
  cookie: [{ consoleRefreshCookie: [] }],
  bearer: [{ consoleBearer: [] }],
};
const keyPath = z.object({ id: z.string() });

type Entry = [method: 'get' | 'post' | 'put', path: string, summary: string, auth: Auth, success: Success, extra?: Partial<RouteConfig>];
const paths: Entry[] = [
  ['post', '/auth/login', 'Log in: an access token, and the refresh token as an httpOnly cookie', 'none', { data: session }, { request: { body: json(loginBody) } }],
  ['post', '/auth/refresh', 'A new access token from the refresh cookie (each refresh token works once)', 'cookie', { data: session }],
  ['post', '/auth/logout', 'End the session behind the refresh cookie', 'cookie', { status: 204 }],
  ['post', '/auth/password', 'Change the password (ends the other sessions)', 'bearer', { data: session }, { request: { body: json(passwordBody) } }],
  ['get', '/auth/me', 'The signed-in user', 'bearer', { data: z.object({ id: z.string(), email: z.string(), role, organisationId: z.string() }) }],
  ['get', '/keys', "The organisation's API keys with 30-day usage", 'bearer', { data: keyList }],
  ['post', '/keys', 'Create an API key (admins and owners)', 'bearer', { data: z.object({ key: consoleKey, rawKey }), status: 201 }, { request: { body: json(createKeyBody) } }],
  ['post', '/keys/{id}/rotate', 'Rotate a key: a new secret; the old one works for graceSeconds', 'bearer', { data: z.object({ key: consoleKey, rawKey, oldKeyExpiresAt: timestamp.nullable() }) }, { request: { params: keyPath, body: json(rotateKeyBody) } }],
  ['post', '/keys/{id}/revoke', 'Revoke a key at once', 'bearer', { data: consoleKey }, { request: { params: keyPath } }],
  ['get', '/keys/{id}/usage', "One key's 30 days by day and by endpoint", 'bearer', { data: keyUsage }, { request: { params: keyPath } }],
  ['get', '/usage/overview', '30 days of requests, errors, latency and bytes', 'bearer', { data: overview }],
  ['get', '/usage/analytics', 'Methods, top endpoints, recent errors, hours, sizes, clients and garages', 'bearer', { data: analytics }],
  ['get', '/audit', 'The raw request records, newest first (keyId, garageId, status, dateFrom, dateTo; cursor pagination)', 'bearer', { data: auditPage }, { request: { query: auditQuery } }],
  ['get', '/users', "The organisation's console users", 'bearer', { data: z.array(consoleUser) }],
  ['post', '/users', 'Invite a user (owners): the one-time password is shown once', 'bearer', { data: z.object({ user: consoleUser, oneTimePassword: z.string() }), status: 201 }, { request: { body: json(inviteBody) } }],
  ['get', '/settings/cors', 'The browser origins allowed to call the API with this organisation’s keys (CORS; empty: off)', 'bearer', { data: corsBody }],
  ['put', '/settings/cors', 'Replace the allowed origins (owners); gateways apply it at once', 'bearer', { data: corsBody }, { request: { body: json(corsBody) } }],
];

for (const [method, path, summary, auth, success, extra] of paths) {
  const write = method !== 'get';
  openApiRegistry.registerPath({
    method,
    path: `/console/api${path}`,
    tags: ['Console'],
    summary,
    security: securityOf[auth],
    ...extra,
    responses: {
      ...successResponses(summary, success),
      ...errorResponses({
        400: extra?.request?.body || extra?.request?.query ? ['VALIDATION_FAILED', ...(write ? ['INVALID_JSON'] : [])] : [],
        401: auth === 'none' ? ['INVALID_CREDENTIALS'] : auth === 'cookie' ? (path.endsWith('logout') ? [] : ['REFRESH_TOKEN_INVALID']) : ['CONSOLE_TOKEN_INVALID'],
        // keys are the paid add-on; viewers read, admins change keys, owners invite
        402: path.startsWith('/keys') ? ['API_ACCESS_DISABLED'] : [],
        403: write && (path.startsWith('/keys') || path === '/users' || path === '/settings/cors') ? ['INSUFFICIENT_PERMISSION'] : [],
        404: path.includes('{id}') ? ['RESOURCE_NOT_FOUND'] : [],
        409: path === '/users' && write ? ['EMAIL_TAKEN'] : [],
      }),
    },
  });
}

function json(schema: z.ZodType) {
  return { content: { 'application/json': { schema } } };
}
