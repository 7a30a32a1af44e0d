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
    this.timer = setInterval(() => void this.flush(), this.options.flushMs);
    this.timer.unref();
  }

  record(entry: AuditRecord): void {
    if (this.buffer.length >= this.options.maxBuffered) {
      this.dropped.inc();
      return;
    }
    this.buffer.push(entry);
    if (this.buffer.length >= this.options.batchSize) void this.flush();
  }

  /** Writes what is buffered; on failure the batch goes back to the front of the buffer. */
  flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    this.flushing = this.writeBatches().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  private async writeBatches(): Promise<void> {
    while (this.buffer.length > 0) {
      const batch = this.buffer.splice(0, this.options.batchSize);
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
