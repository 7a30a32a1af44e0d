import { sendArrayPage, sendData, sendList, validate } from '@pitlane/core';
import type { Router } from 'express';

import type { InventoryContext } from '../../service';
import { movementDto, toItemDto, toMovementDto } from './item.dto';
import {
  adjustSchema,
  checkBarcode,
  createItemSchema,
  patchItemSchema,
} from './item.schemas';
import { lists } from './list-queries';
import { actorOf, scopeOf } from './request-scope';

export function itemRoutes(router: Router, ctx: InventoryContext): void {
  router.get('/inventory', async (req, res) => {
    const { pagination: page, filters } = lists.items.parse(req.query);
    const { items, total } = await ctx.items.list(scopeOf(res).garageId, filters, page);
    sendList(res, items.map(toItemDto), page, total);
  });

  router.post('/inventory', async (req, res) => {
    checkBarcode((req.body as { barcode?: unknown } | undefined)?.barcode);
    const body = validate(createItemSchema, req.body, 'body');
    sendData(res, toItemDto(await ctx.createItem(scopeOf(res), body, actorOf(res))), 201);
  });

  router.get('/inventory/low-stock', async (req, res) => {
    const { pagination: page } = lists.lowStock.parse(req.query);
    const { items, total } = await ctx.items.list(scopeOf(res).garageId, { lowStock: true }, page);
    sendList(res, items.map(toItemDto), page, total);
  });

  router.get('/inventory/categories', async (req, res) => {
    const { pagination } = lists.categories.parse(req.query);
    sendArrayPage(res, await ctx.stockReports.categories(scopeOf(res).garageId), pagination);
  });

  router.get('/inventory/stats', async (_req, res) => {
    const { garageId, currency } = scopeOf(res);
    sendData(res, { ...(await ctx.stockReports.stats(garageId)), currency });
  });

  router.get('/inventory/barcode/:code', async (req, res) => {
    const code = String(req.params.code);
    checkBarcode(code, 'code');
    sendData(res, toItemDto(await ctx.items.findByBarcode(scopeOf(res).garageId, code)));
  });

  router.get('/inventory/:iid', async (req, res) => {
    sendData(res, toItemDto(await ctx.items.get(scopeOf(res).garageId, String(req.params.iid))));
  });

  router.patch('/inventory/:iid', async (req, res) => {
    checkBarcode((req.body as { barcode?: unknown } | undefined)?.barcode);
    const body = validate(patchItemSchema, req.body, 'body');
    sendData(res, toItemDto(await ctx.updateItem(scopeOf(res).garageId, String(req.params.iid), body)));
  });

  router.post('/inventory/:iid/adjust', async (req, res) => {
    const body = validate(adjustSchema, req.body, 'body');
    const result = await ctx.adjustStock(scopeOf(res).garageId, String(req.params.iid), body, actorOf(res));
    sendData(res, { item: toItemDto(result.item), movement: result.movement ? movementDto(result.item._id, result.movement) : null });
  });

  router.get('/inventory/:iid/movements', async (req, res) => {
    const { pagination: page, filters: { reason } } = lists.movements.parse(req.query);
    const { movements, total } = await ctx.listMovements(scopeOf(res).garageId, String(req.params.iid), reason, page);
    sendList(res, movements.map(toMovementDto), page, total);
  });
}
