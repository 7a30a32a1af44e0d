import { errors, sendData, sendList, sendPage, validate, wantsTotal } from '@pitlane/core';
import type { Router } from 'express';
import { z } from 'zod';

import { decodeVin, vinProblems } from '../../domain/vin';
import { vehicleBody, vehiclePatch } from './schemas';
import { lists } from './list-queries';
import type { BookingsContext } from '../../service';
import { param, tenantOf } from './tenant';
import { bookingView, historyEntryView, vehicleView } from './views';

/** A stored VIN must at least be well-formed; a wrong check digit is accepted (optional outside North America). */
function checkVin(vin: string | null | undefined): void {
  if (!vin) return;
  const problems = vinProblems(vin);
  if (problems.length > 0) throw errors.validation('The VIN is malformed.', problems, 'INVALID_VIN');
}

export function vehicleRoutes(router: Router, ctx: BookingsContext): void {
  router.get('/vehicles', async (req, res) => {
    const { pagination, filters } = lists.vehicles.parse(req.query);
    const page = await ctx.repos.vehicles.list(tenantOf(res).garageId, pagination, filters, { count: wantsTotal(filters, pagination) });
    sendPage(res, page, pagination, vehicleView);
  });

  router.post('/vehicles', async (req, res) => {
    const body = validate(vehicleBody, req.body, 'body');
    checkVin(body.vin);
    sendData(res, vehicleView(await ctx.vehicles.create(tenantOf(res), body)), 201);
  });

  // before /vehicles/:vehicleId so "vin-lookup" is not taken for an id; fully offline
  router.get('/vehicles/vin-lookup', (req, res) => {
    const { vin } = validate(z.object({ vin: z.string({ message: 'is required' }).max(64) }), { vin: req.query.vin }, 'query');
    const problems = vinProblems(vin);
    if (problems.length > 0) throw errors.validation('The VIN is malformed.', problems, 'INVALID_VIN');
    sendData(res, decodeVin(vin));
  });

  router.get('/vehicles/:vehicleId', async (req, res) => {
    sendData(res, vehicleView(await ctx.repos.vehicles.require(tenantOf(res).garageId, param(req, 'vehicleId'))));
  });

  router.get('/vehicles/:vehicleId/bookings', async (req, res) => {
    const { garageId } = tenantOf(res);
    const vehicleId = param(req, 'vehicleId');
    await ctx.repos.vehicles.require(garageId, vehicleId);
    const { pagination, filters } = lists.vehicleBookings.parse(req.query);
    const page = await ctx.repos.bookings.list(garageId, pagination, { vehicleId }, { count: wantsTotal(filters) });
    sendPage(res, page, pagination, bookingView);
  });

  // completed jobs, most recently completed first (NexosOne's service history)
  router.get('/vehicles/:vehicleId/history', async (req, res) => {
    const { garageId } = tenantOf(res);
    const vehicleId = param(req, 'vehicleId');
    await ctx.repos.vehicles.require(garageId, vehicleId);
    const { pagination } = lists.vehicleHistory.parse(req.query);
    const { items, total } = await ctx.repos.bookingHistory.completedForVehicle(garageId, vehicleId, pagination);
    sendList(res, items.map(historyEntryView), pagination, total);
  });

  router.patch('/vehicles/:vehicleId', async (req, res) => {
    const body = validate(vehiclePatch, req.body, 'body');
    checkVin(body.vin);
    sendData(res, vehicleView(await ctx.vehicles.update(tenantOf(res), param(req, 'vehicleId'), body)));
  });

  router.delete('/vehicles/:vehicleId', async (req, res) => {
    await ctx.vehicles.delete(tenantOf(res), param(req, 'vehicleId'));
    res.status(204).end();
  });
}
