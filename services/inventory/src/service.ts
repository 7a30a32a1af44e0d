import { startService, type RunningService, type ServiceDefinition, type ServiceDeps } from '@pitlane/runtime';

import { buildApp } from './app';
import { adjustStockUseCase } from './application/adjust-stock';
import { changePurchaseOrderStatusUseCase } from './application/change-purchase-order-status';
import { createItemUseCase } from './application/create-item';
import { createPurchaseOrderUseCase } from './application/create-purchase-order';
import { ItemWriter } from './application/item-writer';
import { LedgerCopier } from './application/ledger-copier';
import { listMovementsUseCase } from './application/list-movements';
import { purchaseOrderStatsUseCase } from './application/purchase-order-stats';
import { receivePurchaseOrderUseCase, resumeReceiptsUseCase } from './application/receive-purchase-order';
import { Repairer } from './application/repairer';
import { reconcileReservationsUseCase, ReservationReconciler } from './application/reservation-reconciler';
import { recordPartsSaleUseCase } from './application/record-parts-sale';
import { reservePartsUseCase } from './application/reserve-parts';
import { settleBookingUseCase } from './application/settle-booking';
import { stockReportsUseCase } from './application/stock-reports';
import { updateItemUseCase } from './application/update-item';
import type { Config } from './config';
import { bookingStateRepository } from './data-access/booking-state.repository';
import { itemRepository } from './data-access/item.repository';
import { registerModels, type Models } from './data-access/models';
import { movementRepository } from './data-access/movement.repository';
import { noticeRepository } from './data-access/notice.repository';
import { purchaseOrderRepository } from './data-access/purchase-order.repository';
import { settledReservationRepository } from './data-access/settled-reservation.repository';
import { subscribeToBilling, subscribeToBookings } from './entry-points/messaging/subscribe';

/** Everything the routes, the event handlers and the workers use, built once by compose(). */
export type InventoryContext = ReturnType<typeof compose>;
export type InventoryService = RunningService<Models, InventoryContext>;

/** The composition root: repositories over the models, the item writer and ledger copier, then the
 * use-cases over them. Routes and handlers receive this context and nothing else. */
export function compose(deps: Pick<ServiceDeps<Models>, 'models' | 'relay' | 'logger'>, config: Pick<Config, 'REPAIR_INTERVAL_MS' | 'RECONCILE_INTERVAL_MS'>) {
  const items = itemRepository(deps.models);
  const movements = movementRepository(deps.models);
  const purchaseOrders = purchaseOrderRepository(deps.models);
  const settled = settledReservationRepository(deps.models);
  const notices = noticeRepository(deps.models);
  const states = bookingStateRepository(deps.models);
  const ledger = new LedgerCopier(items, movements, deps.logger);
  const writer = new ItemWriter(items, deps.relay, ledger);
  const resumeReceipts = resumeReceiptsUseCase({ purchaseOrders, writer });
  const settleBooking = settleBookingUseCase({ items, states, settled, writer });
  const reconcileReservations = reconcileReservationsUseCase({ items, states, settleBooking, logger: deps.logger });
  return {
    // reads that decide nothing go straight to the repositories
    items,
    purchaseOrders,
    states,
    // the writer and the ledger copier are exposed for the workers and for tests that simulate a crash
    writer,
    ledger,
    createItem: createItemUseCase({ items, writer, ledger }),
    updateItem: updateItemUseCase({ writer }),
    adjustStock: adjustStockUseCase({ writer }),
    listMovements: listMovementsUseCase({ items, movements, ledger }),
    stockReports: stockReportsUseCase({ items }),
    createPurchaseOrder: createPurchaseOrderUseCase({ items, purchaseOrders }),
    changePurchaseOrderStatus: changePurchaseOrderStatusUseCase({ purchaseOrders }),
    receivePurchaseOrder: receivePurchaseOrderUseCase({ purchaseOrders, writer }),
    purchaseOrderStats: purchaseOrderStatsUseCase({ purchaseOrders }),
    reserveParts: reservePartsUseCase({ settled, states, notices, writer, settleBooking }),
    settleBooking,
    recordPartsSale: recordPartsSaleUseCase({ writer, logger: deps.logger }),
    reconcileReservations,
    reconciler: new ReservationReconciler(reconcileReservations, deps.logger, config.RECONCILE_INTERVAL_MS),
    repairer: new Repairer({ ledger, resumeReceipts, logger: deps.logger }, config.REPAIR_INTERVAL_MS),
  };
}

/** Everything main.ts and the integration tests need to run one inventory instance. */
export async function startInventory(
  config: Config,
  overrides: Partial<Pick<ServiceDefinition<Models, InventoryContext>, 'queue' | 'logger' | 'relayPollIntervalMs' | 'retryDelaysMs'>> = {},
): Promise<InventoryService> {
  return startService<Models, InventoryContext>({
    name: 'inventory',
    config,
    registerModels,
    outboxModels: (models) => [models.Item, models.PurchaseOrder, models.Notice],
    compose: (deps) => compose(deps, config),
    subscribe: (bus, ctx) => {
      subscribeToBookings(bus, ctx);
      subscribeToBilling(bus, ctx);
    },
    buildApp: (ctx, deps) => buildApp(config, deps, ctx),
    // stopped in reverse order: the repairer's pass first, then the ledger copies what is left
    workers: (ctx) => [
      { name: 'ledger', start: () => undefined, stop: () => ctx.ledger.close() },
      { name: 'repair', start: () => ctx.repairer.start(), stop: () => ctx.repairer.stop() },
      { name: 'reconcile', start: () => ctx.reconciler.start(), stop: () => ctx.reconciler.stop() },
    ],
    ...overrides,
  });
}
