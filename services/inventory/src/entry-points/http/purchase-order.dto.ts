import type { PurchaseOrderDocument } from '../../data-access/purchase-order.model';

/** A purchase order as partners see it. */
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
