import { errors } from '@pitlane/core';

import type { ItemRepository, Scope } from '../data-access/item.repository';
import type { PurchaseOrderDocument } from '../data-access/purchase-order.model';
import type { PurchaseOrderRepository } from '../data-access/purchase-order.repository';

export interface NewPurchaseOrder {
  supplier: { name: string; email?: string | null };
  lines: { itemId: string; quantity: number; unitCost: number }[];
  expectedDate?: string | null;
  notes?: string | null;
}

/** A draft order for items of the garage (each line remembers the item's sku and name), numbered
 * PO-000001… per garage without gaps by the insert itself. */
export function createPurchaseOrderUseCase(deps: { items: Pick<ItemRepository, 'names'>; purchaseOrders: PurchaseOrderRepository }) {
  return async function createPurchaseOrder(scope: Scope, input: NewPurchaseOrder): Promise<PurchaseOrderDocument> {
    const found = await deps.items.names(scope.garageId, input.lines.map((line) => line.itemId));
    const byId = new Map(found.map((item) => [item._id, item]));
    const missing = input.lines.flatMap((line, index) =>
      byId.has(line.itemId) ? [] : [{ field: `lines.${index}.itemId`, message: 'no such item in this garage' }],
    );
    if (missing.length > 0) throw errors.validation('The body is invalid.', missing);
    const lines = input.lines.map((line) => ({ ...line, sku: byId.get(line.itemId)!.sku, name: byId.get(line.itemId)!.name, quantityReceived: 0 }));
    return deps.purchaseOrders.insertNumbered({
      garageId: scope.garageId,
      organisationId: scope.organisationId,
      supplier: { name: input.supplier.name, email: input.supplier.email ?? null },
      lines,
      currency: scope.currency,
      total: lines.reduce((sum, line) => sum + line.quantity * line.unitCost, 0),
      expectedDate: input.expectedDate ?? null,
      notes: input.notes ?? null,
    });
  };
}
