import { errors, timestampFilter, type Pagination } from '@pitlane/core';
import { withEvents, type EventEnvelope } from '@pitlane/events';
import { isDuplicateKeyError } from '@pitlane/mongo';
import type { QueryFilter } from 'mongoose';

import { formatPurchaseOrderNumber, type PurchaseOrderStatus } from '../domain/purchase-order';
import type { Models } from './models';
import type { PurchaseOrderDocument } from './purchase-order.model';

/** a receipt as stored on the order */
export type Receipt = PurchaseOrderDocument['receipts'][number];

export interface OrderLine {
  itemId: string;
  sku: string;
  name: string;
  quantity: number;
  unitCost: number;
  quantityReceived: number;
}

export interface NewReceipt {
  id: string;
  lines: { itemId: string; quantity: number; unitCost: number }[];
  actor: { type: string; id: string };
  receivedAt: Date;
  applied: boolean;
}

/** A purchase order before it has a number. */
export interface PurchaseOrderDraft {
  garageId: string;
  organisationId: string;
  supplier: { name: string; email: string | null };
  lines: OrderLine[];
  currency: string;
  total: number;
  expectedDate: string | null;
  notes: string | null;
}

export type PurchaseOrderRepository = ReturnType<typeof purchaseOrderRepository>;

/** Purchase orders; every write is a compare-and-set on the order's `version`. */
export function purchaseOrderRepository({ PurchaseOrder }: Pick<Models, 'PurchaseOrder'>) {
  const get = async (garageId: string, id: string): Promise<PurchaseOrderDocument> => {
    const order = await PurchaseOrder.findOne({ _id: id, garageId }).lean<PurchaseOrderDocument>();
    if (!order) throw errors.notFound('Purchase order');
    return order;
  };

  return {
    get,

    /** Numbers are `max + 1` taken by the insert itself under a unique key: two concurrent creations
     * collide and the loser retries, and a crash can never burn a number — so there are no gaps. */
    async insertNumbered(draft: PurchaseOrderDraft): Promise<PurchaseOrderDocument> {
      for (let attempt = 1; attempt <= 20; attempt++) {
        const last = await PurchaseOrder.findOne({ garageId: draft.garageId }).sort({ seq: -1 }).select({ seq: 1 }).lean<{ seq: number }>();
        const seq = (last?.seq ?? 0) + 1;
        try {
          const created = await PurchaseOrder.create({
            ...draft,
            seq,
            numberKey: `${draft.garageId}:${seq}`,
            number: formatPurchaseOrderNumber(seq),
            status: 'draft',
            version: 1,
          });
          return await get(draft.garageId, created._id);
        } catch (error) {
          if (!isDuplicateKeyError(error)) throw error;
        }
      }
      throw errors.unavailable('Too many purchase orders are being created at once; retry shortly.');
    },

    /** `dateFrom`/`dateTo` select by creation day (UTC days): list-query.ts turns them into createdFrom/createdTo */
    async list(garageId: string, filters: { status?: PurchaseOrderStatus; supplier?: string }, page: Pagination) {
      const filter: QueryFilter<PurchaseOrderDocument> = { garageId, ...timestampFilter(page) };
      if (filters.status) filter.status = filters.status;
      if (filters.supplier) filter['supplier.name'] = new RegExp(filters.supplier.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
      const [orders, total] = await Promise.all([
        PurchaseOrder.find(filter).sort({ ...page.sort, _id: 1 }).skip(page.skip).limit(page.limit).lean<PurchaseOrderDocument[]>(),
        PurchaseOrder.countDocuments(filter),
      ]);
      return { orders, total };
    },

    /** false when the order changed since it was read */
    async setStatus(order: PurchaseOrderDocument, to: PurchaseOrderStatus): Promise<boolean> {
      const written = await PurchaseOrder.updateOne(
        { _id: order._id, garageId: order.garageId, status: order.status, version: order.version },
        { $set: { status: to }, $inc: { version: 1 } },
      );
      return written.matchedCount === 1;
    },

    /** Records a receipt with the new received quantities, status and event in one compare-and-set;
     * false when the order changed since it was read. */
    async recordReceipt(
      order: PurchaseOrderDocument,
      change: { lines: OrderLine[]; status: PurchaseOrderStatus; receipt: NewReceipt },
      event: EventEnvelope,
    ): Promise<boolean> {
      const written = await PurchaseOrder.updateOne(
        { _id: order._id, garageId: order.garageId, version: order.version },
        withEvents<PurchaseOrderDocument>(
          { $set: { lines: change.lines, status: change.status, version: order.version + 1 }, $push: { receipts: change.receipt } },
          event,
        ),
      );
      return written.matchedCount === 1;
    },

    async markReceiptApplied(order: PurchaseOrderDocument, receiptId: string): Promise<void> {
      const index = order.receipts.findIndex((candidate) => candidate.id === receiptId);
      await PurchaseOrder.updateOne({ _id: order._id, garageId: order.garageId }, { $set: { [`receipts.${index}.applied`]: true } });
    },

    /** orders with a receipt recorded but not (completely) applied to stock, any garage */
    withUnappliedReceipts(): Promise<PurchaseOrderDocument[]> {
      return PurchaseOrder.find({ 'receipts.applied': false }).limit(100).lean<PurchaseOrderDocument[]>().exec();
    },

    /** what the purchase-order stats add up, for every order of the garage */
    statsRows(garageId: string) {
      return PurchaseOrder.find({ garageId })
        .select({ status: 1, supplier: 1, lines: 1, receipts: 1, total: 1 })
        .lean<Pick<PurchaseOrderDocument, 'status' | 'supplier' | 'lines' | 'receipts' | 'total'>[]>()
        .exec();
    },
  };
}
