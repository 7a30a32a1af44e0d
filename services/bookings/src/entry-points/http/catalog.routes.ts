import { sendArrayPage, sendData, sendList, sendPage, validate, wantsTotal } from '@pitlane/core';
import type { Router } from 'express';

import type { ServiceDoc, TechnicianDoc } from '../../data-access/catalog.model';
import type { BookingsContext } from '../../service';
import { bayBody, bayPatch, serviceBody, technicianBody } from './schemas';
import { lists } from './list-queries';
import { param, tenantOf } from './tenant';
import { bayView, bookingView, serviceView, technicianView } from './views';

/** Services (priced per vehicle type), technicians and bays. */
export function catalogRoutes(router: Router, ctx: BookingsContext): void {
  router.get('/services', async (req, res) => {
    const { pagination } = lists.services.parse(req.query);
    const { items, total } = await ctx.repos.catalog.list<ServiceDoc>('Service', tenantOf(res).garageId, pagination);
    sendList(res, items.map(serviceView), pagination, total);
  });
  router.post('/services', async (req, res) => {
    const body = validate(serviceBody, req.body, 'body');
    sendData(res, serviceView(await ctx.catalog.createService(tenantOf(res), body)), 201);
  });
  router.get('/services/:serviceId', async (req, res) => {
    sendData(res, serviceView(await ctx.repos.catalog.requireService(tenantOf(res).garageId, param(req, 'serviceId'))));
  });
  router.get('/services/:serviceId/prices', async (req, res) => {
    const { pagination } = lists.nested.parse(req.query);
    sendArrayPage(res, serviceView(await ctx.repos.catalog.requireService(tenantOf(res).garageId, param(req, 'serviceId'))).prices, pagination);
  });

  router.get('/technicians', async (req, res) => {
    const { pagination } = lists.technicians.parse(req.query);
    const { items, total } = await ctx.repos.catalog.list<TechnicianDoc>('Technician', tenantOf(res).garageId, pagination);
    sendList(res, items.map(technicianView), pagination, total);
  });
  router.post('/technicians', async (req, res) => {
    const body = validate(technicianBody, req.body, 'body');
    sendData(res, technicianView(await ctx.catalog.createTechnician(tenantOf(res).garageId, body)), 201);
  });
  router.get('/technicians/:technicianId', async (req, res) => {
    sendData(res, technicianView(await ctx.repos.catalog.requireTechnician(tenantOf(res).garageId, param(req, 'technicianId'))));
  });
  router.get('/technicians/:technicianId/stats', async (req, res) => {
    const { pagination: range } = lists.technicianStats.parse(req.query);
    sendData(res, { ...(await ctx.catalog.technicianStats(tenantOf(res).garageId, param(req, 'technicianId'), range)), currency: tenantOf(res).currency });
  });
  router.get('/technicians/:technicianId/bookings', async (req, res) => {
    const { garageId } = tenantOf(res);
    const technicianId = param(req, 'technicianId');
    await ctx.repos.catalog.requireTechnician(garageId, technicianId);
    const { pagination, filters } = lists.technicianBookings.parse(req.query);
    const page = await ctx.repos.bookings.list(garageId, pagination, { technicianId }, { count: wantsTotal(filters) });
    sendPage(res, page, pagination, bookingView);
  });

  router.get('/bays', async (req, res) => {
    const { pagination } = lists.bays.parse(req.query);
    const { items, total } = await ctx.catalog.listBays(tenantOf(res).garageId, pagination);
    sendList(res, items.map(({ bay, occupant }) => bayView(bay, occupant)), pagination, total);
  });
  router.post('/bays', async (req, res) => {
    const body = validate(bayBody, req.body, 'body');
    sendData(res, bayView(await ctx.catalog.createBay(tenantOf(res).garageId, body), undefined), 201);
  });
  router.patch('/bays/:bayId', async (req, res) => {
    const { garageId } = tenantOf(res);
    const body = validate(bayPatch, req.body, 'body');
    const bay = await ctx.catalog.updateBay(garageId, param(req, 'bayId'), body);
    sendData(res, bayView(bay, (await ctx.catalog.occupants(garageId, [bay._id])).get(bay._id)));
  });
}
