import { randomUUID } from 'node:crypto';

import type { Logger, Metrics } from '@pitlane/core';
import { Schema, type Collection, type UpdateQuery } from 'mongoose';

import type { EventBus } from './bus';
import type { EventEnvelope } from './envelope';

/**
 * Transactional outbox without transactions: an aggregate document carries its own pending events
 * in an `outbox` array, so a state change and its event are ONE single-document write (atomic on
 * the stand-in and on MongoDB). The relay claims documents with pending events under a lease,
 * publishes their events in order with publisher confirms, and only then pulls them out.
 */
export function outboxPlugin(schema: Schema): void {
  schema.add({
    outbox: { type: [Schema.Types.Mixed], default: [], select: false },
    outboxLeaseUntil: { type: Date, select: false },
    outboxLeaseOwner: { type: String, select: false },
  });
  // the relay polls for `'outbox.id': {$exists: true}`: on real MongoDB a sparse index makes that poll
  // cost what is pending, not the collection (the stand-in scans either way)
  schema.index({ 'outbox.id': 1 }, { sparse: true });
}

/** Adds events to an update so they are stored in the same write as the change. */
export function withEvents<T>(update: UpdateQuery<T>, ...events: EventEnvelope[]): UpdateQuery<T> {
  const push: Record<string, unknown> = { ...(update.$push ?? {}) };
  push.outbox = { $each: events };
  return { ...update, $push: push };
}

export interface OutboxRelayOptions {
  /** models whose schema uses outboxPlugin */
  models: { collection: Collection }[];
  bus: EventBus;
  logger: Logger;
  metrics: Metrics;
  instanceId?: string;
  pollIntervalMs?: number;
  leaseMs?: number;
  /** documents claimed per collection per pass */
  batchSize?: number;
}

interface OutboxDocument {
  _id: unknown;
  outbox?: EventEnvelope[];
}

export class OutboxRelay {
  readonly instanceId: string;
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private lastBacklogAt = 0;

  constructor(private readonly options: OutboxRelayOptions) {
    this.instanceId = options.instanceId ?? randomUUID();
  }

  /** Publishes until stop(): immediately after nudge(), else every pollIntervalMs. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Call after a write that added events, to publish without waiting for the next poll. */
  nudge(): void {
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  /**
   * One pass over every collection; returns how many events were published and confirmed. All events
   * of a claimed batch are published at once (the channel keeps their order; confirms arrive
   * pipelined), then the documents drop exactly the events the broker confirmed.
   */
  async runOnce(): Promise<number> {
    const { batchSize = 100 } = this.options;
    let published = 0;
    let failure: unknown;
    for (const model of this.options.models) {
      const { owner, documents } = await this.claim(model, batchSize);
      const confirms = documents.flatMap((document) =>
        (document.outbox ?? []).map((event) => this.options.bus.publish(event).then(() => event.id)),
      );
      const sent: string[] = [];
      for (const result of await Promise.allSettled(confirms)) {
        if (result.status === 'fulfilled') sent.push(result.value);
        else failure ??= result.reason;
      }
      if (documents.length > 0) {
        // one write for the batch (event ids are unique, so one $pull serves every document): pull
        // only what the broker confirmed, and give the leases back either way. One write, not one
        // per document: the stand-in scans the collection for any filter beyond a bare _id.
        await model.collection.updateMany(
          { _id: { $in: documents.map((document) => document._id) as never[] }, outboxLeaseOwner: owner },
          { $pull: { outbox: { id: { $in: sent } } } as never, $unset: { outboxLeaseUntil: '', outboxLeaseOwner: '' } },
        );
      }
      published += sent.length;
    }
    if (failure !== undefined) throw failure instanceof Error ? failure : new Error('outbox relay pass failed', { cause: failure });
    return published;
  }

  /** Events stored and not yet confirmed, across the relay's collections. */
  async backlog(): Promise<number> {
    let total = 0;
    for (const model of this.options.models) {
      const [row] = await model.collection
        .aggregate<{ total: number }>([
          { $match: { 'outbox.id': { $exists: true } } },
          { $project: { n: { $size: '$outbox' } } },
          { $group: { _id: null, total: { $sum: '$n' } } },
        ])
        .toArray();
      total += row?.total ?? 0;
    }
    return total;
  }

  private async run(): Promise<void> {
    const { logger, pollIntervalMs = 250 } = this.options;
    let failures = 0;
    while (this.running) {
      let published = 0;
      try {
        published = await this.runOnce();
        failures = 0;
        await this.updateBacklogGauge();
      } catch (error) {
        failures++;
        logger.warn({ err: error, failures }, 'outbox relay pass failed, will retry');
      }
      if (!this.running) break;
      if (published > 0 && failures === 0) continue; // there may be more
      const delay = failures > 0 ? Math.min(pollIntervalMs * 2 ** failures, 5_000) : pollIntervalMs;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  /**
   * Claims up to `limit` documents with pending events under one lease owner: candidates by a query,
   * then one conditional updateMany (each document's update is atomic, so two relays never claim the
   * same document), then the claimed ones read back. Three queries a batch instead of one scan per
   * document: the stand-in answers these queries by scanning the collection.
   */
  private async claim(model: { collection: Collection }, limit: number): Promise<{ owner: string; documents: OutboxDocument[] }> {
    const now = new Date();
    const free = {
      'outbox.id': { $exists: true },
      $or: [{ outboxLeaseUntil: { $exists: false } }, { outboxLeaseUntil: null }, { outboxLeaseUntil: { $lt: now } }],
    };
    const owner = `${this.instanceId}:${randomUUID()}`;
    const candidates = await model.collection.find(free, { projection: { _id: 1 } }).limit(limit).toArray();
    if (candidates.length === 0) return { owner, documents: [] };
    const ids = candidates.map((candidate) => candidate._id) as never[];
    await model.collection.updateMany(
      { _id: { $in: ids }, ...free },
      { $set: { outboxLeaseUntil: new Date(now.getTime() + (this.options.leaseMs ?? 30_000)), outboxLeaseOwner: owner } },
    );
    const documents = (await model.collection
      .find({ _id: { $in: ids }, outboxLeaseOwner: owner }, { projection: { outbox: 1 } })
      .toArray()) as unknown as OutboxDocument[];
    return { owner, documents };
  }

  private async updateBacklogGauge(): Promise<void> {
    if (Date.now() - this.lastBacklogAt < 2_000) return;
    this.lastBacklogAt = Date.now();
    this.options.metrics.outboxBacklog.set(await this.backlog());
  }
}
