/** Stock reports, added up over a garage's items (the stand-in's aggregation support is uncertain,
 * so the service sums; see README "Left out"). */

export interface StockRow {
  category?: string | null;
  quantityOnHand: number;
  quantityReserved: number;
  unitCost: number;
  reorderLevel: number;
}

/** Categories with item count, units and stock value at (weighted-average) cost; no category last. */
export function categoryReport(items: readonly StockRow[]) {
  const byCategory = new Map<string | null, { category: string | null; itemCount: number; units: number; stockValue: number }>();
  for (const item of items) {
    const key = item.category ?? null;
    const row = byCategory.get(key) ?? { category: key, itemCount: 0, units: 0, stockValue: 0 };
    row.itemCount += 1;
    row.units += item.quantityOnHand;
    row.stockValue += item.quantityOnHand * item.unitCost;
    byCategory.set(key, row);
  }
  return [...byCategory.values()].sort((a, b) => (a.category ?? '\uffff').localeCompare(b.category ?? '\uffff'));
}

/** Item count, units, stock value at cost, low-stock (available ≤ reorder level) and out-of-stock (available ≤ 0) counts. */
export function stockStats(items: readonly StockRow[]) {
  const stats = { itemCount: 0, totalUnits: 0, reservedUnits: 0, stockValue: 0, lowStockCount: 0, outOfStockCount: 0 };
  for (const item of items) {
    const availableUnits = item.quantityOnHand - item.quantityReserved;
    stats.itemCount += 1;
    stats.totalUnits += item.quantityOnHand;
    stats.reservedUnits += item.quantityReserved;
    stats.stockValue += item.quantityOnHand * item.unitCost;
    if (availableUnits <= item.reorderLevel) stats.lowStockCount += 1;
    if (availableUnits <= 0) stats.outOfStockCount += 1;
  }
  return stats;
}
