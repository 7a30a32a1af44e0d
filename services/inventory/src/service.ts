import { startService, type RunningService, type ServiceDefinition } from '@pitlane/runtime';

import { buildApp } from './app';
import type { Config } from './config';
import { ItemWriter } from './data-access/item-writer';
import { registerModels, type Models } from './data-access/models';
import { resumeReceipts } from './data-access/purchase-order-receipts';
import { subscribeToBookings } from './entry-points/messaging/subscribe';

export type InventoryService = RunningService<Models> & { writer: ItemWriter };

/** Everything main.ts and the integration tests need to run one inventory instance. */
export async function startInventory(
  config: Config,
  overrides: Partial<Pick<ServiceDefinition<Models>, 'queue' | 'logger' | 'relayPollIntervalMs' | 'retryDelaysMs'>> = {},
): Promise<InventoryService> {
  let writer: ItemWriter | undefined;
  // the writer needs the relay, which startService creates: build it on first use
  const writerFor = (deps: Parameters<ServiceDefinition<Models>['buildApp']>[0] | Parameters<NonNullable<ServiceDefinition<Models>['subscribe']>>[1]) =>
    (writer ??= new ItemWriter(deps.models, deps.relay, deps.logger));
  const running = await startService<Models>({
    name: 'inventory',
    config,
    registerModels,
    outboxModels: (models) => [models.Item, models.PurchaseOrder, models.Notice],
    subscribe: (bus, deps) => subscribeToBookings(bus, deps.models, writerFor(deps)),
    buildApp: (deps) => buildApp(config, deps, writerFor(deps)),
    ...overrides,
  });
  const itemWriter = writerFor(running);
  const repair = new Repairer(running, itemWriter, config.REPAIR_INTERVAL_MS);
  repair.start();
  return {
    ...running,
    writer: itemWriter,
    close: async () => {
      await repair.stop();
      await itemWriter.ledger.close();
      await running.close();
    },
  };
}

/** Periodically finishes what a crashed process left half-done: movements still pending on an item,
 * receipts recorded on a purchase order but not yet applied to every item. Both steps are idempotent. */
class Repairer {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly service: RunningService<Models>,
    private readonly writer: ItemWriter,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.pass().finally(() => (this.running = undefined));
    }, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private async pass(): Promise<void> {
    try {
      await this.writer.ledger.copyPending();
      await resumeReceipts(this.service.models, this.writer);
    } catch (error) {
      this.service.logger.warn({ err: error }, 'repair pass failed, will retry');
    }
  }
}
