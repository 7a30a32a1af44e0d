import type { mongo } from 'mongoose';

/**
 * Coalesces the hot path's single-document writes (an attempt's outcome, hundreds a second) into
 * one unordered `bulkWrite` per `maxDelayMs` or per `maxOps` writes, whichever comes first. Each
 * caller awaits its own write: it resolves once the batch holding it is stored, and rejects if
 * that batch failed (then the lease runs out and the delivery is attempted again: at-least-once).
 * `flush` stores whatever waits at once (shutdown).
 */
/** The one method of a collection this needs. */
interface BulkWriter {
  bulkWrite(ops: mongo.AnyBulkWriteOperation[], options: { ordered: boolean }): Promise<unknown>;
}

export class WriteBatch {
  private ops: mongo.AnyBulkWriteOperation[] = [];
  private waiters: { resolve: () => void; reject: (error: unknown) => void }[] = [];
  private timer?: NodeJS.Timeout;
  private inFlight = new Set<Promise<void>>();

  constructor(
    private readonly collection: () => BulkWriter,
    private readonly maxDelayMs: number,
    private readonly maxOps: number,
  ) {}

  write(op: mongo.AnyBulkWriteOperation): Promise<void> {
    const stored = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    this.ops.push(op);
    if (this.ops.length >= this.maxOps) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.maxDelayMs);
    return stored;
  }

  /** Stores what waits now and resolves when every batch started so far is stored (or failed). */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.ops.length > 0) {
      const ops = this.ops;
      const waiters = this.waiters;
      this.ops = [];
      this.waiters = [];
      const done = this.collection()
        .bulkWrite(ops, { ordered: false })
        .then(
          () => waiters.forEach((waiter) => waiter.resolve()),
          (error: unknown) => waiters.forEach((waiter) => waiter.reject(error)),
        )
        .finally(() => this.inFlight.delete(done));
      this.inFlight.add(done);
    }
    await Promise.all([...this.inFlight]);
  }
}
