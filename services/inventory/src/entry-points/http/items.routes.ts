import { authOf, errors, parsePagination, sendData, sendList, validate } from '@pitlane/core';
import type { Response, Router } from 'express';

import type { Actor } from '../../domain/stock';
import { adjustItem, updateItem } from '../../data-access/item-commands';
import { movementDto, toItemDto, toMovementDto } from '../../data-access/item-dto';
import { createItem, findByBarcode, getItem, listItems, listMovements, type Scope } from '../../data-access/item-repository';
import type { ItemWriter } from '../../data-access/item-writer';
import type { Models } from '../../data-access/models';
import { categoryReport, stockStats } from '../../data-access/reports-repository';
import {
  adjustSchema,
  checkBarcode,
  createItemSchema,
  itemQuerySchema,
  movementQuerySchema,
  patchItemSchema,
  singleValues,
} from './item-schemas';

const ITEM_SORT = ['name', 'sku', 'category', 'quantityOnHand', 'quantityAvailable', 'unitPrice', 'unitCost', 'createdAt', 'updatedAt'];

export function scopeOf(res: Response): Scope {
  const auth = authOf(res);
  // the gateway puts the garage (and its currency) into every garage-scoped token
  if (!auth.garageId || !auth.garage) throw errors.internal();
  return { organisationId: auth.organisationId, garageId: auth.garageId, currency: auth.garage.currency };
}

export const actorOf = (res: Response): Actor => ({ type: 'api_key', id: authOf(res).keyId });

export function itemRoutes(router: Router, models: Models, writer: ItemWriter): void {
  router.get('/inventory', async (req, res) => {
    const filters = validate(itemQuerySchema, singleValues(req.query), 'query');
    const page = parsePagination(req.query, { sortable: ITEM_SORT, defaultSort: 'name' });
    const { items, total } = await listItems(models, scopeOf(res).garageId, filters, page);
    sendList(res, items.map(toItemDto), page, total);
  });

  router.post('/inventory', async (req, res) => {
    checkBarcode((req.body as { barcode?: unknown } | undefined)?.barcode);
    const body = validate(createItemSchema, req.body, 'body');
    sendData(res, toItemDto(await createItem(models, writer, scopeOf(res), body, actorOf(res))), 201);
  });

  router.get('/inventory/low-stock', async (req, res) => {
    const page = parsePagination(req.query, { sortable: ITEM_SORT, defaultSort: 'quantityAvailable' });
    const { items, total } = await listItems(models, scopeOf(res).garageId, { lowStock: true }, page);
    sendList(res, items.map(toItemDto), page, total);
  });

  router.get('/inventory/categories', async (_req, res) => {
    sendData(res, await categoryReport(models, scopeOf(res).garageId));
  });

  router.get('/inventory/stats', async (_req, res) => {
    sendData(res, { ...(await stockStats(models, scopeOf(res).garageId)), currency: scopeOf(res).currency });
  });

  router.get('/inventory/barcode/:code', async (req, res) => {
    const code = String(req.params.code);
    checkBarcode(code, 'code');
    sendData(res, toItemDto(await findByBarcode(models, scopeOf(res).garageId, code)));
  });

  router.get('/inventory/:iid', async (req, res) => {
    sendData(res, toItemDto(await getItem(models, scopeOf(res).garageId, String(req.params.iid))));
  });

  router.patch('/inventory/:iid', async (req, res) => {
    checkBarcode((req.body as { barcode?: unknown } | undefined)?.barcode);
    const body = validate(patchItemSchema, req.body, 'body');
    sendData(res, toItemDto(await updateItem(writer, scopeOf(res).garageId, String(req.params.iid), body)));
  });

  router.post('/inventory/:iid/adjust', async (req, res) => {
    const body = validate(adjustSchema, req.body, 'body');
    const result = await adjustItem(writer, scopeOf(res).garageId, String(req.params.iid), body, actorOf(res));
    sendData(res, { item: toItemDto(result.item), movement: result.movement ? movementDto(result.item._id, result.movement) : null });
  });

  router.get('/inventory/:iid/movements', async (req, res) => {
    const { reason } = validate(movementQuerySchema, singleValues(req.query), 'query');
    const page = parsePagination(req.query, { sortable: ['seq', 'createdAt'], defaultSort: '-seq' });
    const { movements, total } = await listMovements(models, writer, scopeOf(res).garageId, String(req.params.iid), reason, page);
    sendList(res, movements.map((m) => toMovementDto(m as Record<string, unknown>)), page, total);
  });
}
