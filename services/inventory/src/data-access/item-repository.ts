import { randomUUID } from 'node:crypto';

import { errors } from '@pitlane/core';
import type { Pagination } from '@pitlane/core';
import type { EventEnvelope } from '@pitlane/events';
import { isDuplicateKeyError } from '@pitlane/mongo';
import type { QueryFilter } from 'mongoose';

import { barcodeFormat, barcodeLookupKey } from '../domain/barcode';
import { lowStockTransition, type Actor, type Movement } from '../domain/stock';
import { changeEvents, inventoryEvent, itemSnapshot } from './item-events';
import type { ItemDocument } from './item.model';
import { duplicateError, type ItemWriter } from './item-writer';
import type { Models } from './models';

export interface Scope {
  organisationId: string;
  garageId: string;
  currency: string;
}

export interface NewItem {
  sku: string;
  name: string;
  unitPrice: number;
  category?: string | null;
  barcode?: string | null;
  unit?: string;
  quantityOnHand?: number;
  reorderLevel?: number;
  unitCost?: number;
  location?: string | null;
}

export interface ItemFilters {
  category?: string;
  q?: string;
  lowStock?: boolean;
}

export const skuKey = (garageId: string, sku: string) => `${garageId}:${sku.trim().toLowerCase()}`;
export const barcodeKey = (garageId: string, code: string) => `${garageId}:${barcodeLookupKey(code)}`;
const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Barcode fields to $set, or to $unset when the barcode is removed. */
export function barcodeFields(garageId: string, barcode: string | null | undefined) {
  const unset: Record<string, ''> = { barcodeKey: '' };
  if (!barcode) return { set: { barcode: null, barcodeFormat: null }, unset };
  return { set: { barcode, barcodeFormat: barcodeFormat(barcode), barcodeKey: barcodeKey(garageId, barcode) }, unset: {} as Record<string, ''> };
}

export async function createItem(models: Models, writer: ItemWriter, scope: Scope, input: NewItem, actor: Actor) {
  const id = randomUUID();
  const quantity = input.quantityOnHand ?? 0;
  const reorderLevel = input.reorderLevel ?? 0;
  const unitCost = input.unitCost ?? 0;
  const low = lowStockTransition(false, quantity, reorderLevel);
  const movement: Movement | null =
    quantity > 0
      ? { id: randomUUID(), seq: 1, reason: 'opening_balance', quantity, reservedQuantity: 0, quantityOnHand: quantity, quantityReserved: 0, unitCost, actor, note: null, reference: null, createdAt: new Date() }
      : null;
  const doc = {
    _id: id,
    garageId: scope.garageId,
    organisationId: scope.organisationId,
    sku: input.sku,
    skuKey: skuKey(scope.garageId, input.sku),
    name: input.name,
    category: input.category ?? null,
    unit: input.unit ?? 'each',
    location: input.location ?? null,
    ...barcodeFields(scope.garageId, input.barcode).set,
    currency: scope.currency,
    unitPrice: input.unitPrice,
    unitCost,
    reorderLevel,
    quantityOnHand: quantity,
    quantityReserved: 0,
    quantityAvailable: quantity,
    lowStockAlerted: low.lowStockAlerted,
    version: 1,
    movementSeq: movement ? 1 : 0,
    pendingMovements: movement ? [movement] : [],
  } as unknown as ItemDocument;
  const events: EventEnvelope[] = [inventoryEvent('inventory.item_created', doc, { item: itemSnapshot(doc) })];
  if (low.fire) events.push(...changeEvents(doc, null, true).slice(1));
  try {
    await models.Item.create({ ...doc, outbox: events } as ItemDocument);
  } catch (error) {
    if (isDuplicateKeyError(error)) throw duplicateError(error);
    throw error;
  }
  writer.nudge();
  if (movement) writer.ledger.schedule(scope.garageId, id);
  return getItem(models, scope.garageId, id);
}

export async function getItem(models: Models, garageId: string, id: string): Promise<ItemDocument> {
  const item = await models.Item.findOne({ _id: id, garageId }).lean<ItemDocument>();
  if (!item) throw errors.notFound('Item');
  return item;
}

export async function findByBarcode(models: Models, garageId: string, code: string): Promise<ItemDocument> {
  const item = await models.Item.findOne({ garageId, barcodeKey: barcodeKey(garageId, code) }).lean<ItemDocument>();
  if (!item) throw errors.notFound('Item');
  return item;
}

export async function listItems(models: Models, garageId: string, filters: ItemFilters, page: Pagination) {
  const filter: QueryFilter<ItemDocument> = { garageId };
  if (filters.category) filter.category = filters.category;
  if (filters.lowStock !== undefined) filter.lowStockAlerted = filters.lowStock;
  if (filters.q) {
    const pattern = new RegExp(escapeRegex(filters.q), 'i');
    filter.$or = [{ name: pattern }, { sku: pattern }, { barcode: pattern }, { category: pattern }];
  }
  const [items, total] = await Promise.all([
    models.Item.find(filter).sort({ ...page.sort, _id: 1 }).skip(page.skip).limit(page.limit).lean<ItemDocument[]>(),
    models.Item.countDocuments(filter),
  ]);
  return { items, total };
}

export async function listMovements(models: Models, writer: ItemWriter, garageId: string, itemId: string, reason: string | undefined, page: Pagination) {
  await getItem(models, garageId, itemId);
  // the ledger read is complete even right after a crash: copy what is still pending first
  await writer.ledger.copyPending({ garageId, _id: itemId });
  const filter: Record<string, unknown> = { garageId, itemId, ...(reason ? { reason } : {}) };
  const [movements, total] = await Promise.all([
    models.Movement.find(filter).sort(page.sort).skip(page.skip).limit(page.limit).lean(),
    models.Movement.countDocuments(filter),
  ]);
  return { movements, total };
}
