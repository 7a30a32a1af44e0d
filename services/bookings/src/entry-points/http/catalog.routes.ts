import { parsePagination, sendData, sendList, validate } from '@pitlane/core';
import type { Router } from 'express';

import { listBookings } from '../../data-access/booking-queries';
import type { BayDoc, ServiceDoc, TechnicianDoc } from '../../data-access/catalog.model';
import { bayOccupants, createBay, createService, createTechnician, listCatalog, requireService, technicianStats, updateBay } from '../../data-access/catalog';
import type { Ctx } from '../../data-access/context';
import { requireTechnician } from '../../data-access/lookups';
import { bayBody, bayPatch, serviceBody, technicianBody } from './schemas';
import { param, tenantOf } from './tenant';
import { bayView, bookingView, serviceView, technicianView } from './views';

/** Services (priced per vehicle type), technicians and bays. */
export function catalogRoutes(router: Router, ctx: Ctx): void {
  router.get('/services', async (req, res) => {
    const pagination = parsePagination(req.query, { sortable: ['name', 'createdAt', 'code'], defaultSort: 'name' });
    const { items, total } = await listCatalog(ctx, 'Service', tenantOf(res).garageId, pagination);
    sendList(res, (items as unknown as ServiceDoc[]).map(serviceView), pagination, total);
  });
  router.post('/services', async (req, res) => {
    const body = validate(serviceBody, req.body, 'body');
    sendData(res, serviceView(await createService(ctx, tenantOf(res), body)), 201);
  });
  router.get('/services/:serviceId', async (req, res) => {
    sendData(res, serviceView(await requireService(ctx, tenantOf(res).garageId, param(req, 'serviceId'))));
  });
  router.get('/services/:serviceId/prices', async (req, res) => {
    sendData(res, serviceView(await requireService(ctx, tenantOf(res).garageId, param(req, 'serviceId'))).prices);
  });

  router.get('/technicians', async (req, res) => {
    const pagination = parsePagination(req.query, { sortable: ['name', 'createdAt'], defaultSort: 'name' });
    const { items, total } = await listCatalog(ctx, 'Technician', tenantOf(res).garageId, pagination);
    sendList(res, (items as unknown as TechnicianDoc[]).map(technicianView), pagination, total);
  });
  router.post('/technicians', async (req, res) => {
    const body = validate(technicianBody, req.body, 'body');
    sendData(res, technicianView(await createTechnician(ctx, tenantOf(res).garageId, body)), 201);
  });
  router.get('/technicians/:technicianId', async (req, res) => {
    sendData(res, technicianView((await requireTechnician(ctx.models, tenantOf(res).garageId, param(req, 'technicianId'))) as TechnicianDoc));
  });
  router.get('/technicians/:technicianId/stats', async (req, res) => {
    const range = parsePagination(req.query, { sortable: ['date'], defaultSort: 'date' });
    sendData(res, { ...(await technicianStats(ctx, tenantOf(res).garageId, param(req, 'technicianId'), range)), currency: tenantOf(res).currency });
  });
  router.get('/technicians/:technicianId/bookings', async (req, res) => {
    const { garageId } = tenantOf(res);
    const technicianId = param(req, 'technicianId');
    await requireTechnician(ctx.models, garageId, technicianId);
    const pagination = parsePagination(req.query, { sortable: ['date', 'createdAt', 'number'], defaultSort: 'date' });
    const { items, total } = await listBookings(ctx, garageId, pagination, { technicianId });
    sendList(res, items.map(bookingView), pagination, total);
  });

  router.get('/bays', async (req, res) => {
    const { garageId } = tenantOf(res);
    const pagination = parsePagination(req.query, { sortable: ['name', 'createdAt'], defaultSort: 'name' });
    const { items: rows, total } = await listCatalog(ctx, 'Bay', garageId, pagination);
    const items = rows as unknown as BayDoc[];
    const occupants = await bayOccupants(ctx, garageId, items.map((b) => b._id));
    sendList(res, items.map((b) => bayView(b, occupants.get(b._id))), pagination, total);
  });
  router.post('/bays', async (req, res) => {
    const body = validate(bayBody, req.body, 'body');
    sendData(res, bayView(await createBay(ctx, tenantOf(res).garageId, body), undefined), 201);
  });
  router.patch('/bays/:bayId', async (req, res) => {
    const { garageId } = tenantOf(res);
    const body = validate(bayPatch, req.body, 'body');
    const bay = await updateBay(ctx, garageId, param(req, 'bayId'), body);
    sendData(res, bayView(bay, (await bayOccupants(ctx, garageId, [bay._id])).get(bay._id)));
  });
}
