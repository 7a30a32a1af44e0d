import { categoryReport, stockStats } from '../domain/stock-report';
import type { ItemRepository } from '../data-access/item.repository';

/** The garage's stock per category and in total, at weighted-average cost. */
export function stockReportsUseCase({ items }: { items: Pick<ItemRepository, 'stockRows'> }) {
  return {
    categories: async (garageId: string) => categoryReport(await items.stockRows(garageId)),
    stats: async (garageId: string) => stockStats(await items.stockRows(garageId)),
  };
}
