import type { Logger } from '@pitlane/core';

import type { LedgerCopier } from './ledger-copier';

/** Periodically finishes what a crashed process left half-done: movements still pending on an item,
 * receipts recorded on a purchase order but not yet applied to every item. Both steps are idempotent. */
export class Repairer {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly deps: { ledger: Pick<LedgerCopier, 'copyPending'>; resumeReceipts: () => Promise<void>; logger: Logger },
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
      await this.deps.ledger.copyPending();
      await this.deps.resumeReceipts();
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'repair pass failed, will retry');
    }
  }
}
