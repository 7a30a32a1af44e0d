import { purchaseOrderStatuses } from '../domain/purchase-order';
import type { Models } from './models';
import type { PurchaseOrderDocument } from './purchase-order.model';

const localDate = (date: Date, timeZone: string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(date);

/** Counts by status, value still to be received on open orders, value received in a date range
 * (receipt dates in the garage's time zone) and the top suppliers by ordered value. */
export async function purchaseOrderStats(
  models: Models,
  garageId: string,
  range: { dateFrom?: string; dateTo?: string; timeZone: string },
) {
  const orders = await models.PurchaseOrder.find({ garageId })
    .select({ status: 1, supplier: 1, lines: 1, receipts: 1, total: 1 })
    .lean<PurchaseOrderDocument[]>();
  const countsByStatus = Object.fromEntries(purchaseOrderStatuses.map((status) => [status, 0])) as Record<string, number>;
  let openValue = 0;
  let receivedValue = 0;
  const suppliers = new Map<string, { name: string; orderCount: number; orderedValue: number }>();
  for (const order of orders) {
    countsByStatus[order.status] = (countsByStatus[order.status] ?? 0) + 1;
    if (order.status === 'ordered' || order.status === 'partially_received') {
      openValue += order.lines.reduce((sum, line) => sum + (line.quantity - line.quantityReceived) * line.unitCost, 0);
    }
    for (const receipt of order.receipts) {
      const day = localDate(receipt.receivedAt, range.timeZone);
      if ((range.dateFrom && day < range.dateFrom) || (range.dateTo && day > range.dateTo)) continue;
      receivedValue += receipt.lines.reduce((sum, line) => sum + line.quantity! * line.unitCost!, 0);
    }
    if (order.status !== 'cancelled') {
      const name = order.supplier?.name ?? '';
      const key = name.trim().toLowerCase();
      const row = suppliers.get(key) ?? { name, orderCount: 0, orderedValue: 0 };
      row.orderCount += 1;
      row.orderedValue += order.total;
      suppliers.set(key, row);
    }
  }
  const topSuppliers = [...suppliers.values()].sort((a, b) => b.orderedValue - a.orderedValue || a.name.localeCompare(b.name)).slice(0, 5);
  return {
    total: orders.length,
    countsByStatus,
    openValue,
    receivedValue,
    dateFrom: range.dateFrom ?? null,
    dateTo: range.dateTo ?? null,
    topSuppliers,
  };
}
