import { isRealDate, openApiRegistry } from '@pitlane/core';
import { z } from 'zod';

import { ROLES } from '../domain/roles';

/** The console API's request schemas: the routes validate with them, the OpenAPI document shows them
 * (openapi/console.openapi.ts), so the two cannot drift. */
export const loginBody = openApiRegistry.register(
  'ConsoleLogin',
  z.object({ email: z.string().trim().min(3).max(254), password: z.string().min(1).max(200) }),
);
export const passwordBody = openApiRegistry.register(
  'ConsolePasswordChange',
  z.object({ currentPassword: z.string().min(1).max(200), newPassword: z.string().min(12, 'must be at least 12 characters').max(200) }),
);

export const createKeyBody = openApiRegistry.register(
  'ConsoleCreateKey',
  z
    .object({
      name: z.string().trim().min(1).max(80),
      permission: z.enum(['read', 'read_write']),
      garageIds: z.array(z.string().min(1).max(100)).max(100).optional().openapi({ description: 'absent or empty: every garage of the organisation' }),
      expiresAt: z.coerce.date().optional().openapi({ type: 'string', format: 'date-time' }),
    })
    .strict(),
);
export const rotateKeyBody = openApiRegistry.register(
  'ConsoleRotateKey',
  z
    .object({ graceSeconds: z.number().int().min(0).max(7 * 24 * 3600).default(0).openapi({ description: 'how long the old key keeps working' }) })
    .strict(),
);
export const keyId = z.string().min(1).max(100);

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
  .refine(isRealDate, 'is not a real calendar date')
  .openapi({ format: 'date' });

/** The audit viewer's query: filters, and cursor pagination (the `nextCursor` of the previous page). */
export const auditQuery = z
  .object({
    keyId: z.string().min(1).max(100).optional(),
    garageId: z.string().min(1).max(100).optional(),
    status: z.coerce.number().int().min(100).max(599).optional().openapi({ type: 'integer', minimum: 100, maximum: 599 }),
    dateFrom: isoDate.optional().openapi({ description: 'UTC day, inclusive (default: the raw-record retention)' }),
    dateTo: isoDate.optional().openapi({ description: 'UTC day, inclusive' }),
    limit: z.coerce.number().int().min(1).max(100).default(20).openapi({ type: 'integer', minimum: 1, maximum: 100, default: 20 }),
    cursor: z.string().min(1).max(400).optional().openapi({ description: 'nextCursor of the previous page' }),
  })
  .refine((q) => !q.dateFrom || !q.dateTo || q.dateFrom <= q.dateTo, { path: ['dateTo'], message: 'must not be before dateFrom' });

export const inviteBody = openApiRegistry.register('ConsoleInviteUser', z.object({ email: z.email().max(254), role: z.enum(ROLES) }).strict());

export const corsBody = openApiRegistry.register(
  'ConsoleCorsSettings',
  z
    .object({
      allowedOrigins: z
        .array(z.string().max(200))
        .max(20)
        .openapi({ description: 'browser origins (`https://app.example.com`) allowed to call the API with this organisation’s keys; empty: CORS off', example: ['https://app.example.com'] }),
    })
    .strict(),
);
