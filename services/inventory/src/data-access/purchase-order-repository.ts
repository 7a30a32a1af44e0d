import { errors, type Pagination } from '@pitlane/core';
import { isDuplicateKeyError } from '@pitlane/mongo';
import type { QueryFilter } from 'mongoose';

import { canMoveTo, formatPurchaseOrderNumber, type PurchaseOrderStatus } from '../domain/purchase-order';
import type { ItemDocument } from './item.model';
import type { Scope } from './item-repository';
import type { Models } from './models';
import type { PurchaseOrderDocument } from './purchase-order.model';

export interface NewPurchaseOrder {
  supplier: { name: string; email?: string | null };
  lines: { itemId: string; quantity: number; unitCost: number }[];
  expectedDate?: string | null;
  notes?: string | null;
}

export async function getPurchaseOrder(models: Models, garageId: string, id: string): Promise<PurchaseOrderDocument> {
  const order = await models.PurchaseOrder.findOne({ _id: id, garageId }).lean<PurchaseOrderDocument>();
  if (!order) throw errors.notFound('Purchase order');
  return order;
}

/** Numbers are `max + 1` taken by the insert itself under a unique key: two concurrent creations
 * collide and the loser retries, and a crash can never burn a number — so there are no gaps. */
export async function createPurchaseOrder(models: Models, scope: Scope, input: NewPurchaseOrder) {
  const ids = input.lines.map((line) => line.itemId);
  const items = await models.Item.find({ garageId: scope.garageId, _id: { $in: ids } })
    .select({ sku: 1, name: 1 })
    .lean<Pick<ItemDocument, '_id' | 'sku' | 'name'>[]>();
  const byId = new Map(items.map((item) => [item._id, item]));
  const missing = input.lines.flatMap((line, index) =>
    byId.has(line.itemId) ? [] : [{ field: `lines.${index}.itemId`, message: 'no such item in this garage' }],
  );
  if (missing.length > 0) throw errors.validation('The body is invalid.', missing);
  const lines = input.lines.map((line) => ({
    ...line,
    sku: byId.get(line.itemId)!.sku,
    name: byId.get(line.itemId)!.name,
    quantityReceived: 0,
  }));
  for (let attempt = 1; attempt <= 20; attempt++) {
    const last = await models.PurchaseOrder.findOne({ garageId: scope.garageId }).sort({ seq: -1 }).select({ seq: 1 }).lean<{ seq: number }>();
    const seq = (last?.seq ?? 0) + 1;
    try {
      const created = await models.PurchaseOrder.create({
        garageId: scope.garageId,
        organisationId: scope.organisationId,
        seq,
        numberKey: `${scope.garageId}:${seq}`,
        number: formatPurchaseOrderNumber(seq),
        supplier: { name: input.supplier.name, email: input.supplier.email ?? null },
        lines,
        status: 'draft',
        currency: scope.currency,
        total: lines.reduce((sum, line) => sum + line.quantity * line.unitCost, 0),
        expectedDate: input.expectedDate ?? null,
        notes: input.notes ?? null,
        version: 1,
      });
      return getPurchaseOrder(models, scope.garageId, created._id);
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
  }
  throw errors.unavailable('Too many purchase orders are being created at once; retry shortly.');
}

export async function listPurchaseOrders(
  models: Models,
  garageId: string,
  filters: { status?: PurchaseOrderStatus; supplier?: string },
  page: Pagination,
) {
  const filter: QueryFilter<PurchaseOrderDocument> = { garageId };
  if (filters.status) filter.status = filters.status;
  if (filters.supplier) filter['supplier.name'] = new RegExp(filters.supplier.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
  const created: Record<string, Date> = {};
  if (page.dateFrom) created.$gte = new Date(`${page.dateFrom}T00:00:00Z`);
  if (page.dateTo) created.$lt = new Date(Date.parse(`${page.dateTo}T00:00:00Z`) + 86_400_000);
  if (Object.keys(created).length > 0) filter.createdAt = created;
  const [orders, total] = await Promise.all([
    models.PurchaseOrder.find(filter).sort({ ...page.sort, _id: 1 }).skip(page.skip).limit(page.limit).lean<PurchaseOrderDocument[]>(),
    models.PurchaseOrder.countDocuments(filter),
  ]);
  return { orders, total };
}

/** Manual transitions (ordered, cancelled): one conditional write on the status read. */
export async function changeStatus(models: Models, garageId: string, id: string, to: PurchaseOrderStatus) {
  const order = await getPurchaseOrder(models, garageId, id);
  const from = order.status as PurchaseOrderStatus;
  if (!canMoveTo(from, to)) {
    throw errors.conflict('INVALID_STATUS_TRANSITION', `A purchase order cannot go from ${from} to ${to}.`, { from, to });
  }
  const written = await models.PurchaseOrder.updateOne(
    { _id: id, garageId, status: from, version: order.version },
    { $set: { status: to }, $inc: { version: 1 } },
  );
  if (written.matchedCount === 0) {
    throw errors.conflict('INVALID_STATUS_TRANSITION', 'The purchase order changed meanwhile; read it again.', { from, to });
  }
  return getPurchaseOrder(models, garageId, id);
}

export function toPurchaseOrderDto(order: PurchaseOrderDocument) {
  return {
    id: order._id,
    number: order.number,
    supplier: order.supplier,
    status: order.status,
    lines: order.lines.map((line) => ({
      itemId: line.itemId,
      sku: line.sku,
      name: line.name,
      quantity: line.quantity,
      quantityReceived: line.quantityReceived,
      unitCost: line.unitCost,
      lineTotal: line.quantity * line.unitCost,
    })),
    total: order.total,
    currency: order.currency,
    expectedDate: order.expectedDate ?? null,
    notes: order.notes ?? null,
    receipts: order.receipts.map((receipt) => ({ id: receipt.id, lines: receipt.lines, receivedAt: receipt.receivedAt })),
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
  };
}
