import { startService, type RunningService, type ServiceDefinition, type ServiceDeps } from '@pitlane/runtime';

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
    // stopped in reverse order: the repairer's pass first, then the ledger copies what is left
    workers: (deps) => {
      const itemWriter = writerFor(deps);
      const repair = new Repairer(deps, itemWriter, config.REPAIR_INTERVAL_MS);
      return [
        { name: 'ledger', start: () => undefined, stop: () => itemWriter.ledger.close() },
        { name: 'repair', start: () => repair.start(), stop: () => repair.stop() },
      ];
    },
    ...overrides,
  });
  return { ...running, writer: writerFor(running) };
}

/** Periodically finishes what a crashed process left half-done: movements still pending on an item,
 * receipts recorded on a purchase order but not yet applied to every item. Both steps are idempotent. */
class Repairer {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly service: Pick<ServiceDeps<Models>, 'models' | 'logger'>,
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
