import type { Logger } from '@pitlane/core';
import type { Model } from 'mongoose';
import { Counter, type Registry } from 'prom-client';

import type { AuditRecord } from './audit-record.model';

/**
 * Buffers records and writes them in batches off the request path. A database outage neither fails
 * nor slows requests: the buffer is bounded, and what does not fit is dropped and counted.
 */
export class AuditLog {
  private buffer: AuditRecord[] = [];
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;
  private lastWriteSucceeded = true;
  private readonly dropped: Counter;
  private readonly written: ((batch: AuditRecord[]) => Promise<void>)[] = [];

  constructor(
    private readonly model: Model<AuditRecord>,
    private readonly logger: Logger,
    registry: Registry,
    private readonly options: { batchSize: number; flushMs: number; maxBuffered: number },
  ) {
    this.dropped = new Counter({
      name: 'audit_records_dropped_total',
      help: 'Audit records dropped because the buffer was full (database unavailable or too slow)',
      registers: [registry],
    });
  }

  /** Told every batch once it is stored (the console's usage rollups); must not throw. */
  onWritten(listener: (batch: AuditRecord[]) => Promise<void>): void {
    this.written.push(listener);
  }

  start(): void {
    this.timer = setInterval(() => void this.writeBuffered(), this.options.flushMs);
    this.timer.unref();
  }

  record(entry: AuditRecord): void {
    if (this.buffer.length >= this.options.maxBuffered) {
      this.dropped.inc();
      return;
    }
    this.buffer.push(entry);
    if (this.buffer.length >= this.options.batchSize) void this.writeBuffered('full batches');
  }

  /** Writes everything buffered, including what arrives while it writes (tests, shutdown). */
  async flush(): Promise<void> {
    do {
      await this.writeBuffered();
    } while (this.buffer.length > 0 && this.lastWriteSucceeded);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  /**
   * Writes the records buffered when it starts (on a full batch: only the full batches), in batches.
   * What arrives meanwhile waits for the next tick or a full batch: writing it at once kept one flush
   * running for as long as traffic lasted, in batches of a few dozen records (about 20 a second under
   * load), each costing the database the same nine writes (records, rollups, viewer buckets) as a full one.
   */
  private writeBuffered(what: 'all' | 'full batches' = 'all'): Promise<void> {
    if (this.flushing) return this.flushing;
    const { batchSize } = this.options;
    const count = what === 'all' ? this.buffer.length : this.buffer.length - (this.buffer.length % batchSize);
    this.flushing = this.writeBatches(count).finally(() => {
      this.flushing = undefined;
      if (this.buffer.length >= batchSize && this.lastWriteSucceeded) void this.writeBuffered('full batches');
    });
    return this.flushing;
  }

  private async writeBatches(count: number): Promise<void> {
    let left = count;
    this.lastWriteSucceeded = true;
    while (left > 0 && this.buffer.length > 0) {
      const batch = this.buffer.splice(0, Math.min(this.options.batchSize, left));
      left -= batch.length;
      try {
        await this.model.collection.insertMany(batch, { ordered: false });
      } catch (error) {
        // a retried batch whose records were partly written before: those are the duplicates
        if (onlyDuplicates(error)) {
          await Promise.all(this.written.map((listener) => listener(batch)));
          continue;
        }
        const room = this.options.maxBuffered - this.buffer.length;
        const kept = batch.slice(0, Math.max(0, room));
        this.dropped.inc(batch.length - kept.length);
        this.buffer.unshift(...kept);
        this.lastWriteSucceeded = false;
        this.logger.warn({ err: error, buffered: this.buffer.length }, 'cannot write audit records, will retry');
        return;
      }
      await Promise.all(this.written.map((listener) => listener(batch)));
    }
  }
}

function onlyDuplicates(error: unknown): boolean {
  const writeErrors = (error as { writeErrors?: { code?: number }[] | { code?: number } } | null)?.writeErrors;
  const list = Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : [];
  return list.length > 0 && list.every((e) => e.code === 11000);
}
