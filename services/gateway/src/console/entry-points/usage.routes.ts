import { sendData, sendList } from '@pitlane/core';
import type { Router } from 'express';

import { usageAnalytics } from '../application/usage-analytics';
import { usageOverview } from '../application/usage-overview';
import type { ConsoleContext } from '../compose';
import { consoleUserOf } from './console-auth';
import { auditList } from './console.schemas';

/** Usage from the rollups; the audit viewer reads the raw records (paginated, filtered). */
export function usageRoutes(router: Router, ctx: ConsoleContext): void {
  router.get('/api/usage/overview', async (_req, res) => {
    sendData(res, await usageOverview(ctx.rollups, consoleUserOf(res).organisationId));
  });
  router.get('/api/usage/analytics', async (_req, res) => {
    const { organisationId } = consoleUserOf(res);
    const garages = await ctx.tenancy.accessibleGarages({ organisationId, garageIds: [] });
    sendData(res, await usageAnalytics(ctx.rollups, organisationId, new Map(garages.map((g) => [g._id, g.name]))));
  });
  router.get('/api/audit', async (req, res) => {
    const { pagination: page, filters } = auditList.parse(req.query);
    const to = page.dateTo ? new Date(Date.parse(`${page.dateTo}T00:00:00Z`) + 86_400_000) : undefined;
    const { items, total } = await ctx.auditQuery.page(
      {
        organisationId: consoleUserOf(res).organisationId,
        ...filters,
        ...(page.dateFrom ? { from: new Date(`${page.dateFrom}T00:00:00Z`) } : {}),
        ...(to ? { to } : {}),
      },
      page.skip,
      page.limit,
    );
    sendList(res, items, page, total);
  });
}
