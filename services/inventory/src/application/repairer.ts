import type { Logger } from '@pitlane/core';
import { PeriodicTask } from '@pitlane/runtime';

import type { LedgerCopier } from './ledger-copier';

/** Periodically finishes what a crashed process left half-done: movements still pending on an item,
 * receipts recorded on a purchase order but not yet applied to every item. Both steps are idempotent. */
export class Repairer {
  private readonly task: PeriodicTask;

  constructor(
    deps: { ledger: Pick<LedgerCopier, 'copyPending'>; resumeReceipts: () => Promise<void>; logger: Logger },
    intervalMs: number,
  ) {
    this.task = new PeriodicTask(
      async () => {
        await deps.ledger.copyPending();
        await deps.resumeReceipts();
      },
      intervalMs,
      (error) => deps.logger.warn({ err: error }, 'repair pass failed, will retry'),
    );
  }

  start(): void {
    this.task.start();
  }

  stop(): Promise<void> {
    return this.task.stop();
  }
}
