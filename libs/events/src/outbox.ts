import { randomUUID } from 'node:crypto';

import type { Logger, Metrics } from '@pitlane/core';
import { Schema, type Collection, type UpdateQuery } from 'mongoose';

import type { EventBus } from './bus';
import type { EventEnvelope } from './envelope';
import { announceWrites, onOutboxHandOff } from './outbox-handoff';
import { addBacklog, asError, claimFilter, HandOffQueue, heldBy, leaseOwner, leaseUpdate, PENDING, releaseUpdate, retryDelay, sweepFindings, wonBy } from './outbox-lease';

/**
 * Transactional outbox without transactions: an aggregate document carries its own pending events
 * in an `outbox` array, so a state change and its event are ONE single-document write (atomic on
 * the stand-in and on MongoDB). Right after that write the document's id is handed to the relays of
 * this process (outbox-handoff.ts); a relay claims the document under a lease, publishes its events
 * in order with publisher confirms, and only then pulls them out. A slow sweep finds what no
 * hand-off reached (a crash, another process's writes).
 */
export function outboxPlugin(schema: Schema): void {
  schema.add({
    outbox: {
      // Stryker disable next-line ArrayDeclaration: `[]` is mongoose's array of Mixed as well
      type: [Schema.Types.Mixed],
      default: [],
      select: false,
    },
    outboxLeaseUntil: { type: Date, select: false },
    outboxLeaseOwner: { type: String, select: false },
  });
  // the sweep looks for `'outbox.id': {$exists: true}`: on real MongoDB a sparse index makes it cost
  // what is pending, not the collection (the stand-in scans either way, hence a slow sweep)
  schema.index({ 'outbox.id': 1 }, { sparse: true });
  announceWrites(schema);
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
  /** the safety sweep's period: how long an event whose hand-off was lost may wait (default 60 s: each sweep scans every collection on the stand-in) */
  sweepIntervalMs?: number;
  /** @deprecated the old name of sweepIntervalMs */
  pollIntervalMs?: number;
  leaseMs?: number;
  /** documents claimed per collection per pass */
  batchSize?: number;
}

interface OutboxDocument {
  _id: unknown;
  outbox?: EventEnvelope[];
  outboxLeaseOwner?: unknown;
}

export const DEFAULT_SWEEP_MS = 60_000;

export class OutboxRelay {
  readonly instanceId: string;
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private readonly handedOff = new HandOffQueue();
  /** collections written without a known document id: swept on the next pass */
  private readonly sweepAsked = new Set<number>();
  private unsubscribe: (() => void)[] = [];
  /** events pending before the last full sweep published, when its queries saw all of them */
  private sweptBacklog: number | null = null;

  constructor(private readonly options: OutboxRelayOptions) {
    this.instanceId = options.instanceId ?? randomUUID();
  }

  /** Publishes until stop(): what is handed off at once, the rest at each sweep. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.unsubscribe = this.options.models.map((model, index) =>
      onOutboxHandOff(model, (id) => {
        if (id === undefined) this.sweepAsked.add(index);
        else this.handedOff.add(index, id);
        this.wake?.();
      }),
    );
    this.loop = this.run();
  }

  /** Publishes what was handed off now (writes announce themselves; this only wakes the loop). */
  // Stryker disable next-line BlockStatement: every write that stores events wakes the loop itself; a wake with nothing queued publishes nothing
  nudge(): void {
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    for (const unsubscribe of this.unsubscribe) unsubscribe();
    this.unsubscribe = [];
    this.wake?.();
    await this.loop;
  }

  /**
   * One sweep over every collection (or the given ones); returns how many events were confirmed. One
   * query per collection finds the pending documents (the stand-in scans for it, so it is the sweep's
   * whole idle cost); the free ones are claimed, and when the query saw everything pending the
   * relay also knows the backlog without another scan.
   */
  async runOnce(only?: ReadonlySet<number>): Promise<number> {
    const { batchSize = 100 } = this.options;
    let backlog: number | null = 0;
    const published = await this.eachModel(only, async (model) => {
      // Stryker disable next-line ObjectLiteral: the projection only trims the read (sweepFindings uses _id, the lease and the count of events)
      const found = await model.collection.find(PENDING, { projection: { outboxLeaseUntil: 1, 'outbox.id': 1 } }).limit(batchSize).toArray();
      const findings = sweepFindings(found, new Date(), batchSize);
      backlog = addBacklog(backlog, findings.backlog);
      return this.publish(model, findings.claimable);
    });
    this.sweptBacklog = only ? null : backlog;
    return published;
  }

  /** Publishes the documents handed off so far (a batch per collection); returns the events confirmed. */
  async publishHandedOff(): Promise<number> {
    const { batchSize = 100 } = this.options;
    return this.eachModel(undefined, (model, index) => this.publish(model, this.handedOff.take(index, batchSize)));
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

  /** Runs `work` on each collection (all, or those in `only`); the first failure is thrown after all ran. */
  private async eachModel(only: ReadonlySet<number> | undefined, work: (model: { collection: Collection }, index: number) => Promise<number>): Promise<number> {
    let published = 0;
    let failure: unknown;
    for (const [index, model] of this.options.models.entries()) {
      if (only && !only.has(index)) continue;
      try {
        published += await work(model, index);
      } catch (error) {
        failure ??= error;
      }
    }
    if (failure !== undefined) throw asError(failure);
    return published;
  }

  /**
   * Claims the given documents under one lease (one conditional updateMany: each document's update
   * is atomic, so two relays never both hold one), reads back the ones won, publishes all their
   * events at once (the channel keeps their order; confirms arrive pipelined), then pulls exactly the
   * confirmed ones and gives the leases back, in one write, only where the lease is still ours.
   */
  private async publish(model: { collection: Collection }, ids: unknown[]): Promise<number> {
    if (ids.length === 0) return 0;
    const owner = leaseOwner(this.instanceId, randomUUID());
    await model.collection.updateMany(claimFilter(ids, new Date()), leaseUpdate(owner, new Date(), this.options.leaseMs));
    // read back what this claim won (by owner: a cross-tenant query the tenant rules allow by that field)
    // Stryker disable next-line ObjectLiteral: wonBy keeps this claim's documents only; the filter and projection just trim the read
    const read = await model.collection.find(heldBy(owner, ids), { projection: { outbox: 1, outboxLeaseOwner: 1 } }).toArray();
    const documents = wonBy(read as unknown as OutboxDocument[], owner);
    if (documents.length === 0) return 0;
    // Stryker disable next-line ArrayDeclaration: a claimed document matched `'outbox.id': {$exists: true}`, so it has an outbox
    const confirms = documents.flatMap((document) => (document.outbox ?? []).map((event) => this.options.bus.publish(event).then(() => event.id)));
    const sent: string[] = [];
    let failure: unknown;
    for (const result of await Promise.allSettled(confirms)) {
      if (result.status === 'fulfilled') sent.push(result.value);
      else failure ??= result.reason;
    }
    await model.collection.updateMany(heldBy(owner, documents.map((document) => document._id)), releaseUpdate(sent));
    if (failure !== undefined) throw asError(failure);
    return sent.length;
  }

  /** Hand-offs as they come; a sweep every sweepIntervalMs (sooner after a failure, with backoff). */
  private async run(): Promise<void> {
    const { logger, metrics } = this.options;
    const sweepMs = this.options.sweepIntervalMs ?? this.options.pollIntervalMs ?? DEFAULT_SWEEP_MS;
    let failures = 0;
    let sweepAt = 0; // a first sweep at start: whatever an earlier process left
    while (this.running) {
      let more = false;
      try {
        if (Date.now() >= sweepAt) {
          // a full batch found means there may be more: sweep again at once
          more = (await this.runOnce()) > 0;
          sweepAt = more ? 0 : Date.now() + sweepMs;
          // what is left once a sweep found nothing to claim (pending under other relays' leases)
          if (!more) metrics.outboxBacklog.set(this.sweptBacklog ?? (await this.backlog()));
        } else if (this.sweepAsked.size > 0) {
          const asked = new Set(this.sweepAsked);
          this.sweepAsked.clear();
          more = (await this.runOnce(asked)) > 0;
          if (more) for (const index of asked) this.sweepAsked.add(index);
        }
        await this.publishHandedOff();
        failures = 0;
      } catch (error) {
        failures++;
        // what failed stays stored; the next sweep (after a backoff) retries it
        sweepAt = Date.now() + retryDelay(failures, Math.min(sweepMs, 250));
        logger.warn({ err: error, failures }, 'outbox relay pass failed, will retry');
      }
      if (!this.running) break;
      if (failures === 0 && (more || this.handedOff.size > 0 || this.sweepAsked.size > 0)) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(0, sweepAt - Date.now()));
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }
}
