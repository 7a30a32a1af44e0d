import { randomUUID } from 'node:crypto';

import { errors } from '@pitlane/core';

import { canReceive, checkReceipt } from '../domain/purchase-order';
import type { Actor } from '../domain/stock';
import type { PurchaseOrderDocument } from '../data-access/purchase-order.model';
import type { PurchaseOrderRepository, Receipt } from '../data-access/purchase-order.repository';
import { inventoryEvent, planStockChange } from './item-plans';
import type { ItemWriter } from './item-writer';

export interface ReceiptInput {
  receiptId?: string;
  lines: { itemId: string; quantity: number; unitCost?: number }[];
}

type Deps = { purchaseOrders: PurchaseOrderRepository; writer: Pick<ItemWriter, 'write' | 'nudge'> };

/**
 * Receiving without transactions, in two idempotent steps:
 * 1. ONE compare-and-set on the order records the receipt (refusing over-receipt against what the
 *    order says at that version), the new received quantities and status, and the
 *    purchase_order.received event;
 * 2. each line goes into its item's stock (weighted average + ledger movement), keyed by
 *    receiptId:itemId so a line is never applied twice; then the receipt is marked applied.
 * A crash after 1 is finished by the repairer (resumeReceipts) or by repeating the request with the same receiptId.
 */
export function receivePurchaseOrderUseCase(deps: Deps) {
  return async function receivePurchaseOrder(garageId: string, id: string, input: ReceiptInput, actor: Actor): Promise<PurchaseOrderDocument> {
    const receiptId = input.receiptId ?? randomUUID();
    for (let attempt = 1; attempt <= 20; attempt++) {
      const order = await deps.purchaseOrders.get(garageId, id);
      const recorded = order.receipts.find((receipt) => receipt.id === receiptId);
      if (recorded) {
        // a retried request: finish it — unless the id is being reused for different goods
        const same = (l: { itemId?: string | null; quantity?: number | null }[]) => JSON.stringify(l.map((x) => [x.itemId, x.quantity]));
        if (same(recorded.lines) !== same(input.lines)) {
          throw errors.conflict('DUPLICATE_RESOURCE', `Receipt ${receiptId} was already recorded with other lines.`, { receiptId });
        }
        break;
      }
      if (await recordReceipt(deps, order, receiptId, input, actor)) break;
      if (attempt === 20) throw errors.unavailable('The purchase order is busy; retry shortly.');
    }
    deps.writer.nudge();
    const recorded = await deps.purchaseOrders.get(garageId, id);
    await applyReceipt(deps, recorded, recorded.receipts.find((receipt) => receipt.id === receiptId)!);
    return deps.purchaseOrders.get(garageId, id);
  };
}

/** Step 1, decided on the order as read; false when another write got there first (read again). */
async function recordReceipt(deps: Deps, order: PurchaseOrderDocument, receiptId: string, input: ReceiptInput, actor: Actor): Promise<boolean> {
  const status = order.status;
  if (!canReceive(status)) {
    throw errors.conflict('INVALID_STATUS_TRANSITION', `A purchase order in status ${status} cannot receive goods.`, { status });
  }
  const check = checkReceipt(order.lines, input.lines);
  if (!check.ok && check.kind === 'unknown_line') {
    throw errors.validation('The body is invalid.', [{ field: `lines.${check.index}.itemId`, message: 'is not on this purchase order' }]);
  }
  if (!check.ok) {
    throw errors.conflict('RECEIPT_EXCEEDS_ORDER', `Only ${check.outstanding} of item ${check.itemId} are still outstanding.`, {
      itemId: check.itemId,
      outstanding: check.outstanding,
    });
  }
  const costs = new Map(order.lines.map((line) => [line.itemId, line.unitCost]));
  const receipt = {
    id: receiptId,
    lines: input.lines.map((line) => ({ itemId: line.itemId, quantity: line.quantity, unitCost: line.unitCost ?? costs.get(line.itemId)! })),
    actor,
    receivedAt: new Date(),
    applied: false,
  };
  const nextStatus = check.complete ? 'received' : 'partially_received';
  const event = inventoryEvent('purchase_order.received', order, {
    purchaseOrderId: order._id,
    number: order.number,
    status: nextStatus,
    lines: receipt.lines.map((line) => ({ itemId: line.itemId, quantity: line.quantity })),
  });
  const lines = order.lines.map((line) => ({ ...line, quantityReceived: check.received.get(line.itemId) ?? line.quantityReceived }));
  return deps.purchaseOrders.recordReceipt(order, { lines, status: nextStatus, receipt }, event);
}

/** Step 2: puts every line of a recorded receipt into stock, at most once per line. */
async function applyReceipt(deps: Deps, order: PurchaseOrderDocument, receipt: Receipt): Promise<void> {
  if (receipt.applied) return;
  for (const line of receipt.lines) {
    const key = `${receipt.id}:${line.itemId}`;
    await deps.writer.write(order.garageId, line.itemId!, (item) =>
      item.appliedKeys.includes(key)
        ? null
        : planStockChange(
            item,
            { kind: 'receive', quantity: line.quantity!, unitCost: line.unitCost! },
            { actor: receipt.actor as Actor, reference: { purchaseOrderId: order._id, receiptId: receipt.id }, movementId: key },
            { push: { appliedKeys: { $each: [key], $slice: -500 } } },
          ),
    );
  }
  await deps.purchaseOrders.markReceiptApplied(order, receipt.id);
}

/** For the repairer: receipts recorded but not (completely) applied, e.g. after a crash between the steps. */
export function resumeReceiptsUseCase(deps: Deps) {
  return async function resumeReceipts(): Promise<void> {
    for (const order of await deps.purchaseOrders.withUnappliedReceipts()) {
      for (const receipt of order.receipts.filter((candidate) => !candidate.applied)) {
        await applyReceipt(deps, order, receipt);
      }
    }
  };
}
