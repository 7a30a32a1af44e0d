import { sendData, sendPage, validate, wantsTotal } from '@pitlane/core';
import type { Router } from 'express';

import type { BookingsContext } from '../../service';
import { customerBody, customerPatch, customerVehicleBody } from './schemas';
import { lists } from './list-queries';
import { param, tenantOf } from './tenant';
import { bookingView, customerView, vehicleView } from './views';


export function customerRoutes(router: Router, ctx: BookingsContext): void {
  router.get('/customers', async (req, res) => {
    const { pagination, filters } = lists.customers.parse(req.query);
    const page = await ctx.repos.customers.list(tenantOf(res).garageId, pagination, undefined, { count: wantsTotal(filters, pagination) });
    sendPage(res, page, pagination, customerView);
  });

  // name, email and phone, case-insensitive; q is matched as literal text (escaped), never as a
  // regex or an operator: a non-string q (e.g. q[$gt]=) is a 400
  router.get('/customers/search', async (req, res) => {
    const { pagination, filters } = lists.customerSearch.parse(req.query);
    const page = await ctx.repos.customers.list(tenantOf(res).garageId, pagination, filters.q, { count: wantsTotal(filters, pagination) });
    sendPage(res, page, pagination, customerView);
  });

  router.post('/customers', async (req, res) => {
    const body = validate(customerBody, req.body, 'body');
    sendData(res, customerView(await ctx.customers.create(tenantOf(res), body)), 201);
  });

  router.get('/customers/:customerId', async (req, res) => {
    const { customer, stats } = await ctx.customers.withStats(tenantOf(res).garageId, param(req, 'customerId'));
    sendData(res, { ...customerView(customer), stats: { ...stats, currency: tenantOf(res).currency } });
  });

  router.patch('/customers/:customerId', async (req, res) => {
    const body = validate(customerPatch, req.body, 'body');
    sendData(res, customerView(await ctx.customers.update(tenantOf(res), param(req, 'customerId'), body)));
  });

  router.get('/customers/:customerId/vehicles', async (req, res) => {
    const { garageId } = tenantOf(res);
    const customerId = param(req, 'customerId');
    await ctx.repos.customers.require(garageId, customerId);
    const { pagination } = lists.customerVehicles.parse(req.query);
    sendPage(res, await ctx.repos.vehicles.list(garageId, pagination, { customerId }), pagination, vehicleView);
  });

  router.post('/customers/:customerId/vehicles', async (req, res) => {
    const body = validate(customerVehicleBody, req.body, 'body');
    const vehicle = await ctx.vehicles.create(tenantOf(res), { ...body, customerId: param(req, 'customerId') });
    sendData(res, vehicleView(vehicle), 201);
  });

  router.get('/customers/:customerId/bookings', async (req, res) => {
    const { garageId } = tenantOf(res);
    const customerId = param(req, 'customerId');
    await ctx.repos.customers.require(garageId, customerId);
    const { pagination, filters } = lists.customerBookings.parse(req.query);
    const page = await ctx.repos.bookings.list(garageId, pagination, { customerId }, { count: wantsTotal(filters) });
    sendPage(res, page, pagination, bookingView);
  });
}
