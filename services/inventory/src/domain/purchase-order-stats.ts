import { localDateOf } from '@pitlane/core';

import { purchaseOrderStatuses } from './purchase-order';

export interface OrderForStats {
  status: string;
  supplier?: { name?: string | null } | null;
  total: number;
  lines: { quantity: number; quantityReceived: number; unitCost: number }[];
  receipts: { receivedAt: Date; lines: { quantity?: number | null; unitCost?: number | null }[] }[];
}

export interface StatsRange {
  /** garage-local days, inclusive */
  dateFrom?: string;
  dateTo?: string;
  timeZone: string;
}

/** Counts by status, value still to be received on open orders, value received in a date range
 * (receipt dates in the garage's time zone) and the top 5 suppliers by ordered value (cancelled excluded). */
export function purchaseOrderStats(orders: readonly OrderForStats[], range: StatsRange) {
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
      const day = localDateOf(receipt.receivedAt, range.timeZone);
      if ((range.dateFrom && day < range.dateFrom) || (range.dateTo && day > range.dateTo)) continue;
      receivedValue += receipt.lines.reduce((sum, line) => sum + (line.quantity ?? 0) * (line.unitCost ?? 0), 0);
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
