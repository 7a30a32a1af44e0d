import { errors, timestampFilter, type Pagination } from '@pitlane/core';
import { announceOutbox, withEvents, type EventEnvelope } from '@pitlane/events';
import { isDuplicateKeyError } from '@pitlane/mongo';
import type { QueryFilter } from 'mongoose';

import { barcodeFormat, barcodeLookupKey } from '../domain/barcode';
import type { Movement } from '../domain/stock';
import type { ItemDocument } from './item.model';
import type { Models } from './models';

export interface Scope {
  organisationId: string;
  garageId: string;
  currency: string;
}

export interface ItemFilters {
  category?: string;
  q?: string;
  lowStock?: boolean;
}

/** One compare-and-set write of an item: the new state, the movements for the ledger and the events
 * for the outbox, all in the same single-document update. */
export interface ItemUpdate {
  set: Record<string, unknown>;
  unset?: Record<string, ''>;
  push?: Record<string, unknown>;
  movements: Movement[];
  events: EventEnvelope[];
}

type PendingRow = Pick<ItemDocument, '_id' | 'garageId' | 'pendingMovements'>;

/** What a writer does not read: the ledger's pending copies and the outbox's pending events. */
const WRITE_PROJECTION = { pendingMovements: 0, outbox: 0, outboxLeaseUntil: 0, outboxLeaseOwner: 0 };

export type StockRow = Pick<ItemDocument, 'category' | 'quantityOnHand' | 'quantityReserved' | 'unitCost' | 'reorderLevel'>;

export const skuKey = (garageId: string, sku: string) => `${garageId}:${sku.trim().toLowerCase()}`;
export const barcodeKey = (garageId: string, code: string) => `${garageId}:${barcodeLookupKey(code)}`;
const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Barcode fields to $set, or to $unset when the barcode is removed. */
export function barcodeFields(garageId: string, barcode: string | null | undefined) {
  const unset: Record<string, ''> = { barcodeKey: '' };
  if (!barcode) return { set: { barcode: null, barcodeFormat: null }, unset };
  return { set: { barcode, barcodeFormat: barcodeFormat(barcode), barcodeKey: barcodeKey(garageId, barcode) }, unset: {} as Record<string, ''> };
}

/** The unique sku / barcode keys turn a duplicate into a 409 naming the field. */
function duplicateError(error: unknown) {
  const key = Object.keys((error as { keyPattern?: object }).keyPattern ?? {})[0] ?? '';
  const message = (error as { message?: string }).message ?? '';
  const field = key === 'barcodeKey' || message.includes('barcodeKey') ? 'barcode' : 'sku';
  return errors.conflict('DUPLICATE_RESOURCE', `An item with this ${field} already exists in this garage.`, [
    { field, message: 'must be unique in the garage' },
  ]);
}

export type ItemRepository = ReturnType<typeof itemRepository>;

/** Items: the single source of truth of their stock. Every query is scoped to one garage. */
export function itemRepository({ Item }: Pick<Models, 'Item'>) {
  return {
    /** a new item with its outbox events (item_created, perhaps low_stock) in the same insert */
    async insert(doc: ItemDocument, events: EventEnvelope[]): Promise<void> {
      try {
        await Item.create({ ...doc, outbox: events } as ItemDocument);
      } catch (error) {
        if (isDuplicateKeyError(error)) throw duplicateError(error);
        throw error;
      }
    },

    async get(garageId: string, id: string): Promise<ItemDocument> {
      const item = await Item.findOne({ _id: id, garageId }).lean<ItemDocument>();
      if (!item) throw errors.notFound('Item');
      return item;
    },

    /** the item as a writer plans from it (the pending movements and the outbox are not needed for
     * that); null if absent. Straight through the driver: this and compareAndSet are every stock
     * write's commands, and mongoose's query machinery cost more CPU than the command itself. */
    findForWrite(garageId: string, id: string): Promise<ItemDocument | null> {
      return Item.collection.findOne<ItemDocument>({ _id: id as never, garageId }, { projection: WRITE_PROJECTION });
    },

    /** ONE conditional update on `{_id, garageId, version}`; false when another writer got there first.
     * `update.set` carries the new version. */
    async compareAndSet(garageId: string, id: string, version: number, update: ItemUpdate): Promise<boolean> {
      const push: Record<string, unknown> = { ...update.push };
      if (update.movements.length > 0) push.pendingMovements = { $each: update.movements };
      const query = withEvents<ItemDocument>(
        {
          $set: update.set,
          ...(Object.keys(push).length > 0 ? { $push: push } : {}),
          ...(update.unset && Object.keys(update.unset).length > 0 ? { $unset: update.unset } : {}),
        },
        ...update.events,
      );
      try {
        // through the driver (the values are already the stored types: nothing for mongoose to cast);
        // mongoose's hook would have announced the events, so this does
        const { matchedCount } = await Item.collection.updateOne({ _id: id as never, garageId, version }, query);
        if (matchedCount === 1 && update.events.length > 0) announceOutbox(Item, id);
        return matchedCount === 1;
      } catch (error) {
        if (isDuplicateKeyError(error)) throw duplicateError(error);
        throw error;
      }
    },

    async findByBarcode(garageId: string, code: string): Promise<ItemDocument> {
      const item = await Item.findOne({ garageId, barcodeKey: barcodeKey(garageId, code) }).lean<ItemDocument>();
      if (!item) throw errors.notFound('Item');
      return item;
    },

    async list(garageId: string, filters: ItemFilters, page: Pagination) {
      const filter: QueryFilter<ItemDocument> = { garageId, ...timestampFilter(page) };
      if (filters.category) filter.category = filters.category;
      if (filters.lowStock !== undefined) filter.lowStockAlerted = filters.lowStock;
      if (filters.q) {
        const pattern = new RegExp(escapeRegex(filters.q), 'i');
        filter.$or = [{ name: pattern }, { sku: pattern }, { barcode: pattern }, { category: pattern }];
      }
      const [items, total] = await Promise.all([
        Item.find(filter).sort({ ...page.sort, _id: 1 }).skip(page.skip).limit(page.limit).lean<ItemDocument[]>(),
        Item.countDocuments(filter),
      ]);
      return { items, total };
    },

    /** sku and name of the garage's items among `ids` (the others do not exist in the garage) */
    names(garageId: string, ids: string[]) {
      return Item.find({ garageId, _id: { $in: ids } }).select({ sku: 1, name: 1 }).lean<Pick<ItemDocument, '_id' | 'sku' | 'name'>[]>().exec();
    },

    /** the items holding reservation entries of a booking, with those entries */
    withReservationsOf(garageId: string, bookingId: string) {
      return Item.find({ garageId, 'reservations.bookingId': bookingId })
        .select({ _id: 1, reservations: 1 })
        .lean<Pick<ItemDocument, '_id' | 'reservations'>[]>()
        .exec();
    },

    /** items holding open reservation entries (all garages), with those entries, in _id order after
     * `afterId`: the reconciler's scan, a page per pass */
    withOpenReservations(afterId: string | null, limit = 500) {
      return Item.find({ 'reservations.0': { $exists: true }, ...(afterId ? { _id: { $gt: afterId } } : {}) })
        .select({ _id: 1, garageId: 1, reservations: 1 })
        .sort({ _id: 1 })
        .limit(limit)
        .lean<Pick<ItemDocument, '_id' | 'garageId' | 'reservations'>[]>()
        .exec();
    },

    /** what the stock reports add up, for every item of the garage */
    stockRows(garageId: string): Promise<StockRow[]> {
      return Item.find({ garageId })
        .select({ category: 1, quantityOnHand: 1, quantityReserved: 1, unitCost: 1, reorderLevel: 1 })
        .lean<StockRow[]>()
        .exec();
    },

    /** items with movements not yet copied to the ledger (all garages for the repairer, one item for a ledger read) */
    async withPendingMovements(filter: { garageId?: string; _id?: string } = {}): Promise<PendingRow[]> {
      const projection = { garageId: 1, pendingMovements: 1 };
      if (filter._id !== undefined) {
        // one item (the copier after a write, a ledger read): through the driver
        const item = await Item.collection.findOne<PendingRow>({ ...filter, _id: filter._id as never, 'pendingMovements.0': { $exists: true } }, { projection });
        return item ? [item] : [];
      }
      return Item.find({ ...filter, 'pendingMovements.0': { $exists: true } }).select(projection).limit(500).lean<PendingRow[]>().exec();
    },

    /** bookkeeping, not a change partners should see: updatedAt stays */
    async pullPendingMovements(garageId: string, id: string, movementIds: string[]): Promise<void> {
      await Item.collection.updateOne({ _id: id as never, garageId }, { $pull: { pendingMovements: { id: { $in: movementIds } } } } as never);
    },
  };
}
