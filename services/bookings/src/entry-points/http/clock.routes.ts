import { sendData, todayIn, weekdayOf } from '@pitlane/core';
import type { Router } from 'express';

import type { BookingsContext } from '../../service';
import { tenantOf } from './tenant';

/** `GET /clock`: the garage's "today" as the scheduling rules see it (its time zone, not the
 * partner's), so a partner asks for availability from the right day around midnight. It reads no
 * database (the garage facts travel in the gateway's token), which also makes it the cheapest way to
 * check a key and measure the round trip through the gateway. */
export function clockRoutes(router: Router, _ctx: BookingsContext): void {
  router.get('/clock', (_req, res) => {
    const tenant = tenantOf(res);
    const now = new Date();
    const today = todayIn(tenant.timezone, now);
    sendData(res, { garageId: tenant.garageId, timezone: tenant.timezone, now: now.toISOString(), today, weekday: weekdayOf(today) });
  });
}
