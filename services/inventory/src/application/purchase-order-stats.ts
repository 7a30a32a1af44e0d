import { purchaseOrderStats, type StatsRange } from '../domain/purchase-order-stats';
import type { PurchaseOrderRepository } from '../data-access/purchase-order.repository';

/** Counts, open and received value and top suppliers over the garage's orders (see the domain rule). */
export function purchaseOrderStatsUseCase({ purchaseOrders }: { purchaseOrders: Pick<PurchaseOrderRepository, 'statsRows'> }) {
  return async (garageId: string, range: StatsRange) => purchaseOrderStats(await purchaseOrders.statsRows(garageId), range);
}
