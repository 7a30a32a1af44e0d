import type { ItemDocument } from './item.model';
import type { Models } from './models';

/** Categories with item count, units and stock value at (weighted-average) cost. */
export async function categoryReport(models: Models, garageId: string) {
  const items = await models.Item.find({ garageId })
    .select({ category: 1, quantityOnHand: 1, unitCost: 1 })
    .lean<Pick<ItemDocument, 'category' | 'quantityOnHand' | 'unitCost'>[]>();
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

/** Item count, units, stock value at cost, low-stock and out-of-stock counts. */
export async function stockStats(models: Models, garageId: string) {
  const items = await models.Item.find({ garageId })
    .select({ quantityOnHand: 1, quantityReserved: 1, unitCost: 1, reorderLevel: 1 })
    .lean<Pick<ItemDocument, 'quantityOnHand' | 'quantityReserved' | 'unitCost' | 'reorderLevel'>[]>();
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
