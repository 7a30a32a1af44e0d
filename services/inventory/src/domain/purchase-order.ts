/** Purchase-order status machine: partners move draft → ordered and may cancel before anything is
 * received; partially_received and received are reached only by receiving goods. */
export const purchaseOrderStatuses = ['draft', 'ordered', 'partially_received', 'received', 'cancelled'] as const;
export type PurchaseOrderStatus = (typeof purchaseOrderStatuses)[number];

const MANUAL_TRANSITIONS: Record<PurchaseOrderStatus, PurchaseOrderStatus[]> = {
  draft: ['ordered', 'cancelled'],
  ordered: ['cancelled'],
  partially_received: [],
  received: [],
  cancelled: [],
};

export function canMoveTo(from: PurchaseOrderStatus, to: PurchaseOrderStatus): boolean {
  return MANUAL_TRANSITIONS[from].includes(to);
}

export const canReceive = (status: PurchaseOrderStatus) => status === 'ordered' || status === 'partially_received';

export const formatPurchaseOrderNumber = (seq: number) => `PO-${String(seq).padStart(6, '0')}`;

export interface OrderLine {
  itemId: string;
  quantity: number;
  quantityReceived: number;
}

export type ReceiptCheck =
  | { ok: true; received: Map<string, number>; complete: boolean }
  | { ok: false; kind: 'unknown_line' | 'over_receipt'; index: number; itemId: string; outstanding: number };

/** Adds a receipt to the order's lines: every item must be on the order and no line may receive
 * more than is outstanding (quantities of the same item in one receipt add up). */
export function checkReceipt(lines: OrderLine[], receipt: { itemId: string; quantity: number }[]): ReceiptCheck {
  const received = new Map(lines.map((line) => [line.itemId, line.quantityReceived]));
  const ordered = new Map(lines.map((line) => [line.itemId, line.quantity]));
  for (const [index, line] of receipt.entries()) {
    const orderedQty = ordered.get(line.itemId);
    const already = received.get(line.itemId) ?? 0;
    if (orderedQty === undefined) return { ok: false, kind: 'unknown_line', index, itemId: line.itemId, outstanding: 0 };
    if (already + line.quantity > orderedQty) {
      return { ok: false, kind: 'over_receipt', index, itemId: line.itemId, outstanding: orderedQty - already };
    }
    received.set(line.itemId, already + line.quantity);
  }
  const complete = [...ordered].every(([itemId, quantity]) => (received.get(itemId) ?? 0) >= quantity);
  return { ok: true, received, complete };
}
