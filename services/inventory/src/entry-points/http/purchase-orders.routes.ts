import { authOf, parsePagination, sendData, sendList, validate } from '@pitlane/core';
import type { Router } from 'express';

import type { ItemWriter } from '../../data-access/item-writer';
import type { Models } from '../../data-access/models';
import { receivePurchaseOrder } from '../../data-access/purchase-order-receipts';
import {
  changeStatus,
  createPurchaseOrder,
  getPurchaseOrder,
  listPurchaseOrders,
  toPurchaseOrderDto,
} from '../../data-access/purchase-order-repository';
import { purchaseOrderStats } from '../../data-access/purchase-order-stats';
import { singleValues } from './item-schemas';
import { actorOf, scopeOf } from './items.routes';
import { createPurchaseOrderSchema, purchaseOrderQuerySchema, receiveSchema, statusChangeSchema } from './purchase-order-schemas';

const ORDER_SORT = ['createdAt', 'updatedAt', 'number', 'total', 'expectedDate', 'status'];

export function purchaseOrderRoutes(router: Router, models: Models, writer: ItemWriter): void {
  router.get('/purchase-orders', async (req, res) => {
    const filters = validate(purchaseOrderQuerySchema, singleValues(req.query), 'query');
    const page = parsePagination(req.query, { sortable: ORDER_SORT, defaultSort: '-createdAt' });
    if (page.sort.number) page.sort = { seq: page.sort.number };
    const { orders, total } = await listPurchaseOrders(models, scopeOf(res).garageId, filters, page);
    sendList(res, orders.map(toPurchaseOrderDto), page, total);
  });

  router.post('/purchase-orders', async (req, res) => {
    const body = validate(createPurchaseOrderSchema, req.body, 'body');
    sendData(res, toPurchaseOrderDto(await createPurchaseOrder(models, scopeOf(res), body)), 201);
  });

  router.get('/purchase-orders/stats', async (req, res) => {
    const page = parsePagination(req.query, { sortable: [], defaultSort: '' });
    const timeZone = authOf(res).garage?.timezone ?? 'UTC';
    const range = { timeZone, ...(page.dateFrom ? { dateFrom: page.dateFrom } : {}), ...(page.dateTo ? { dateTo: page.dateTo } : {}) };
    sendData(res, { ...(await purchaseOrderStats(models, scopeOf(res).garageId, range)), currency: scopeOf(res).currency });
  });

  router.get('/purchase-orders/:pid', async (req, res) => {
    sendData(res, toPurchaseOrderDto(await getPurchaseOrder(models, scopeOf(res).garageId, String(req.params.pid))));
  });

  router.post('/purchase-orders/:pid/status', async (req, res) => {
    const { status } = validate(statusChangeSchema, req.body, 'body');
    sendData(res, toPurchaseOrderDto(await changeStatus(models, scopeOf(res).garageId, String(req.params.pid), status)));
  });

  router.post('/purchase-orders/:pid/receive', async (req, res) => {
    const body = validate(receiveSchema, req.body, 'body');
    const order = await receivePurchaseOrder(models, writer, scopeOf(res).garageId, String(req.params.pid), body, actorOf(res));
    sendData(res, toPurchaseOrderDto(order));
  });
}
