import { errors } from '@pitlane/core';

import { canMoveTo, type PurchaseOrderStatus } from '../domain/purchase-order';
import type { PurchaseOrderDocument } from '../data-access/purchase-order.model';
import type { PurchaseOrderRepository } from '../data-access/purchase-order.repository';

/** Manual transitions (draft → ordered, draft/ordered → cancelled): one conditional write on the status read. */
export function changePurchaseOrderStatusUseCase({ purchaseOrders }: { purchaseOrders: PurchaseOrderRepository }) {
  return async function changePurchaseOrderStatus(garageId: string, id: string, to: PurchaseOrderStatus): Promise<PurchaseOrderDocument> {
    const order = await purchaseOrders.get(garageId, id);
    const from = order.status;
    if (!canMoveTo(from, to)) {
      throw errors.conflict('INVALID_STATUS_TRANSITION', `A purchase order cannot go from ${from} to ${to}.`, { from, to });
    }
    if (!(await purchaseOrders.setStatus(order, to))) {
      throw errors.conflict('INVALID_STATUS_TRANSITION', 'The purchase order changed meanwhile; read it again.', { from, to });
    }
    return purchaseOrders.get(garageId, id);
  };
}
