import { sendArrayPage, sendData, validate } from '@pitlane/core';
import type { Request, Response, Router } from 'express';

import type { BookingsContext } from '../../service';
import { partBody, stageBody, stagePatch, stageStatusBody } from './schemas';
import { lists } from './list-queries';
import { param, tenantOf } from './tenant';
import { partView, stageView } from './views';

/** Part lines (`/inventory`, alias `/parts`) and work stages of a booking. */
export function bookingPartsRoutes(router: Router, ctx: BookingsContext): void {
  const list = async (req: Request, res: Response) => {
    const { pagination } = lists.nested.parse(req.query);
    sendArrayPage(res, (await ctx.parts.list(tenantOf(res).garageId, param(req, 'bookingId'))).map(partView), pagination);
  };
  router.get('/bookings/:bookingId/inventory', list);
  router.get('/bookings/:bookingId/parts', list);
  const add = async (req: Request, res: Response) => {
    const body = validate(partBody, req.body, 'body');
    sendData(res, partView(await ctx.parts.add(tenantOf(res), param(req, 'bookingId'), body)), 201);
  };
  router.post('/bookings/:bookingId/inventory', add);
  router.post('/bookings/:bookingId/parts', add);

  router.get('/bookings/:bookingId/stages', async (req, res) => {
    const { pagination } = lists.nested.parse(req.query);
    sendArrayPage(res, (await ctx.stages.list(tenantOf(res).garageId, param(req, 'bookingId'))).map(stageView), pagination);
  });
  router.post('/bookings/:bookingId/stages', async (req, res) => {
    const body = validate(stageBody, req.body, 'body');
    sendData(res, stageView(await ctx.stages.add(tenantOf(res).garageId, param(req, 'bookingId'), body)), 201);
  });
  router.patch('/bookings/:bookingId/stages/:stageId', async (req, res) => {
    const body = validate(stagePatch, req.body, 'body');
    sendData(res, stageView(await ctx.stages.update(tenantOf(res).garageId, param(req, 'bookingId'), param(req, 'stageId'), body)));
  });
  router.delete('/bookings/:bookingId/stages/:stageId', async (req, res) => {
    await ctx.stages.delete(tenantOf(res).garageId, param(req, 'bookingId'), param(req, 'stageId'));
    res.status(204).end();
  });
  router.post('/bookings/:bookingId/stages/:stageId/status', async (req, res) => {
    const body = validate(stageStatusBody, req.body, 'body');
    sendData(res, stageView(await ctx.stages.changeStatus(tenantOf(res), param(req, 'bookingId'), param(req, 'stageId'), body.status)));
  });
}
