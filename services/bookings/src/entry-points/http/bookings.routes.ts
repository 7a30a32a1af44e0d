import { idempotencyKeyOf, sendData, sendPage, validate, wantsTotal } from '@pitlane/core';
import type { Router } from 'express';

import type { BookingsContext } from '../../service';
import { bookingBody, bookingPatch, statusBody, technicianAssignBody } from './schemas';
import { lists } from './list-queries';
import { param, tenantOf } from './tenant';
import { bookingDetailView, bookingView } from './views';


export function bookingRoutes(router: Router, ctx: BookingsContext): void {
  router.get('/bookings', async (req, res) => {
    const { pagination, filters } = lists.bookings.parse(req.query);
    const page = await ctx.repos.bookings.list(tenantOf(res).garageId, pagination, filters, { count: wantsTotal(filters, pagination) });
    sendPage(res, page, pagination, bookingView);
  });

  router.get('/bookings/counts', async (req, res) => {
    const { pagination: range, filters } = lists.bookingCounts.parse(req.query);
    sendData(res, await ctx.repos.bookings.counts(tenantOf(res).garageId, range, filters));
  });

  router.post('/bookings', async (req, res) => {
    const body = validate(bookingBody, req.body, 'body');
    // Idempotency-Key: the shared middleware (libs/core) replays retries; the booking also keeps the key
    // (unique per garage), so a retry after a crash between its insert and the record finds it
    const { booking, replayed } = await ctx.createBooking.run(tenantOf(res), body, idempotencyKeyOf(res));
    if (replayed) res.setHeader('Idempotent-Replayed', 'true');
    sendData(res, bookingView(booking), 201);
  });

  router.get('/bookings/:bookingId', async (req, res) => {
    sendData(res, bookingDetailView(await ctx.bookingDetails.get(tenantOf(res).garageId, param(req, 'bookingId'))));
  });

  router.patch('/bookings/:bookingId', async (req, res) => {
    const body = validate(bookingPatch, req.body, 'body');
    sendData(res, bookingView(await ctx.updateBooking.run(tenantOf(res), param(req, 'bookingId'), body)));
  });

  router.delete('/bookings/:bookingId', async (req, res) => {
    await ctx.changeStatus.deleteBooking(tenantOf(res), param(req, 'bookingId'));
    res.status(204).end();
  });

  router.post('/bookings/:bookingId/status', async (req, res) => {
    const body = validate(statusBody, req.body, 'body');
    const reading = body.mileage === undefined ? null : { mileage: body.mileage, correction: body.mileageCorrection ?? false };
    const booking = await ctx.changeStatus.run(tenantOf(res), param(req, 'bookingId'), body.status, body.reason ?? null, reading);
    sendData(res, bookingView(booking));
  });

  router.post('/bookings/:bookingId/technician', async (req, res) => {
    const body = validate(technicianAssignBody, req.body, 'body');
    sendData(res, bookingView(await ctx.updateBooking.assignTechnician(tenantOf(res), param(req, 'bookingId'), body.technicianId)));
  });
}
