import { daysBetween, errors, sendData, todayIn, validate } from '@pitlane/core';
import type { Router } from 'express';
import { z } from 'zod';

import type { BookingsContext } from '../../service';
import { localDate, scheduleBody, settingsBody } from './schemas';
import { tenantOf } from './tenant';

const MAX_AVAILABILITY_DAYS = 92;
const availabilityQuery = z
  .object({ dateFrom: localDate, dateTo: localDate })
  .refine((q) => q.dateFrom <= q.dateTo, { message: 'must not be before dateFrom', path: ['dateTo'] })
  .refine((q) => daysBetween(q.dateFrom, q.dateTo) < MAX_AVAILABILITY_DAYS, {
    message: `the range may cover at most ${MAX_AVAILABILITY_DAYS} days`,
    path: ['dateTo'],
  });

export function scheduleRoutes(router: Router, ctx: BookingsContext): void {
  router.get('/schedule', async (_req, res) => {
    const tenant = tenantOf(res);
    sendData(res, { timezone: tenant.timezone, ...(await ctx.repos.schedules.load(tenant.garageId)) });
  });

  router.put('/schedule', async (req, res) => {
    const body = validate(scheduleBody, req.body, 'body');
    for (const [day, hours] of Object.entries(body.openingHours)) {
      if (hours && hours.open >= hours.close) throw errors.validation('The body is invalid.', [{ field: `openingHours.${day}`, message: 'close must be after open' }]);
    }
    const tenant = tenantOf(res);
    sendData(res, { timezone: tenant.timezone, ...(await ctx.scheduling.save(tenant.garageId, body)) });
  });

  // settings bookings owns beside the schedule (the default tax rate of parts)
  router.get('/settings', async (_req, res) => {
    sendData(res, await ctx.repos.settings.load(tenantOf(res).garageId));
  });

  router.put('/settings', async (req, res) => {
    const body = validate(settingsBody, req.body, 'body');
    sendData(res, await ctx.scheduling.saveSettings(tenantOf(res).garageId, body));
  });

  router.get('/availability', async (req, res) => {
    const query = validate(availabilityQuery, { dateFrom: req.query.dateFrom, dateTo: req.query.dateTo }, 'query');
    const tenant = tenantOf(res);
    sendData(res, { timezone: tenant.timezone, ...(await ctx.scheduling.availability(tenant.garageId, query.dateFrom, query.dateTo, todayIn(tenant.timezone))) });
  });
}
