import { errors, sendData, validate } from '@pitlane/core';
import type { Router } from 'express';

import { auditPage } from '../application/audit-page';
import { usageAnalytics } from '../application/usage-analytics';
import { usageOverview } from '../application/usage-overview';
import type { ConsoleContext } from '../compose';
import { decodeCursor } from '../domain/audit-buckets';
import { DAY_MS } from '../domain/usage-keys';
import { consoleUserOf } from './console-auth';
import { auditQuery } from './console.schemas';

const AUDIT_PARAMS = ['keyId', 'garageId', 'status', 'dateFrom', 'dateTo', 'limit', 'cursor'] as const;

/** Usage from the rollups; the audit viewer reads its buckets of raw records (filtered, cursor-paginated). */
export function usageRoutes(router: Router, ctx: ConsoleContext): void {
  router.get('/api/usage/overview', async (_req, res) => {
    sendData(res, await usageOverview(ctx.rollups, consoleUserOf(res).organisationId));
  });
  router.get('/api/usage/analytics', async (_req, res) => {
    const { organisationId } = consoleUserOf(res);
    const garages = await ctx.tenancy.accessibleGarages({ organisationId, garageIds: [] });
    sendData(res, await usageAnalytics(ctx.rollups, ctx.analyticsMemo, organisationId, new Map(garages.map((g) => [g._id, g.name]))));
  });
  router.get('/api/audit', async (req, res) => {
    const raw = req.query as Record<string, unknown>;
    // like every list of the API (list-query.ts): a parameter it does not know is a 400, not ignored
    const unknown = Object.keys(raw).filter((name) => !(AUDIT_PARAMS as readonly string[]).includes(name));
    if (unknown.length > 0) {
      throw errors.validation(
        `Unknown query parameter${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}.`,
        unknown.map((field) => ({ field, message: `is not a query parameter of the audit log; allowed: ${AUDIT_PARAMS.join(', ')}` })),
      );
    }
    const picked = Object.fromEntries(AUDIT_PARAMS.map((name) => [name, raw[name] === '' ? undefined : raw[name]]));
    const query = validate(auditQuery, picked, 'query');
    const cursor = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    if (query.cursor !== undefined && !cursor) {
      throw errors.validation('The query is invalid.', [{ field: 'cursor', message: 'is not a cursor this API returned' }]);
    }
    const retentionStart = new Date(Date.now() - ctx.auditRetentionDays * DAY_MS);
    const from = query.dateFrom ? new Date(`${query.dateFrom}T00:00:00Z`) : retentionStart;
    const to = query.dateTo ? new Date(Date.parse(`${query.dateTo}T00:00:00Z`) + DAY_MS) : undefined;
    const filter = { keyId: query.keyId, garageId: query.garageId, status: query.status, from: from < retentionStart ? retentionStart : from, to };
    sendData(res, await auditPage(ctx.auditBuckets, consoleUserOf(res).organisationId, filter, query.limit, cursor));
  });
}
