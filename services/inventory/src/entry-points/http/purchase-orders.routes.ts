import { sendData, sendList, validate } from '@pitlane/core';
import type { Router } from 'express';

import type { InventoryContext } from '../../service';
import { lists } from './list-queries';
import { toPurchaseOrderDto } from './purchase-order.dto';
import { createPurchaseOrderSchema, receiveSchema, statusChangeSchema } from './purchase-order.schemas';
import { actorOf, scopeOf, timeZoneOf } from './request-scope';

export function purchaseOrderRoutes(router: Router, ctx: InventoryContext): void {
  router.get('/purchase-orders', async (req, res) => {
    const { pagination: page, filters } = lists.purchaseOrders.parse(req.query);
    if (page.sort.number) page.sort = { seq: page.sort.number };
    const { orders, total } = await ctx.purchaseOrders.list(scopeOf(res).garageId, filters, page);
    sendList(res, orders.map(toPurchaseOrderDto), page, total);
  });

  router.post('/purchase-orders', async (req, res) => {
    const body = validate(createPurchaseOrderSchema, req.body, 'body');
    sendData(res, toPurchaseOrderDto(await ctx.createPurchaseOrder(scopeOf(res), body)), 201);
  });

  router.get('/purchase-orders/stats', async (req, res) => {
    const { pagination: page } = lists.purchaseOrderStats.parse(req.query);
    const range = { timeZone: timeZoneOf(res), ...(page.dateFrom ? { dateFrom: page.dateFrom } : {}), ...(page.dateTo ? { dateTo: page.dateTo } : {}) };
    const { garageId, currency } = scopeOf(res);
    sendData(res, { ...(await ctx.purchaseOrderStats(garageId, range)), currency });
  });

  router.get('/purchase-orders/:pid', async (req, res) => {
    sendData(res, toPurchaseOrderDto(await ctx.purchaseOrders.get(scopeOf(res).garageId, String(req.params.pid))));
  });

  router.post('/purchase-orders/:pid/status', async (req, res) => {
    const { status } = validate(statusChangeSchema, req.body, 'body');
    sendData(res, toPurchaseOrderDto(await ctx.changePurchaseOrderStatus(scopeOf(res).garageId, String(req.params.pid), status)));
  });

  router.post('/purchase-orders/:pid/receive', async (req, res) => {
    const body = validate(receiveSchema, req.body, 'body');
    const order = await ctx.receivePurchaseOrder(scopeOf(res).garageId, String(req.params.pid), body, actorOf(res));
    sendData(res, toPurchaseOrderDto(order));
  });
}
