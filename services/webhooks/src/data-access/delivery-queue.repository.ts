import { randomUUID } from 'node:crypto';

import { isDuplicateKeyError } from '@pitlane/mongo';
import type { mongo, QueryFilter } from 'mongoose';

import type { AttemptOutcome } from '../domain/attempt-outcome';
import type { AttemptDoc, DeliveryDoc, Models } from './models';
import { LeaseFence } from './lease-fence';
import { WriteBatch } from './write-batch';

/** A delivery this worker owns (see DeliveryQueue), with what an attempt needs. */
export interface ClaimedDelivery {
  id: string;
  webhookId: string;
  garageId: string;
  eventId: string;
  eventType: string;
  body: string;
  scheduleIndex: number;
  manual: boolean;
  leaseUntil: Date;
  /** the subscription's epoch it was made for: sent only while the subscription still has it */
  webhookEpoch: number;
  /** when the attempt was due (null for a manual retry of a finished delivery) */
  dueAt: Date | null;
  /** set once the write that records its outcome (and gives the lease back) is under way: this
   * claim sends nothing more (DeliveryWorker.dispatch gives a new claim of it back for the next poll) */
  leaseEnding?: boolean;
}

export interface NewDelivery {
  garageId: string;
  organisationId: string;
  webhookId: string;
  eventId: string;
  eventType: string;
  body: string;
  webhookEpoch: number;
}

/** Outcome writes wait at most this long (or for this many others) to share one bulkWrite: one
 * round trip for many attempts instead of one each (issue 16). */
const WRITE_BATCH_MS = 4;
const WRITE_BATCH_MAX = 200;

export const leaseFree = (now: Date) => ({ $or: [{ leaseUntil: null }, { leaseUntil: { $lt: now } }] });

export function claimedOf(doc: DeliveryDoc, leaseUntil: Date): ClaimedDelivery {
  return {
    id: doc._id,
    webhookId: doc.webhookId,
    garageId: doc.garageId,
    eventId: doc.eventId,
    eventType: doc.eventType,
    body: doc.body,
    scheduleIndex: doc.scheduleIndex,
    manual: doc.manual,
    leaseUntil,
    webhookEpoch: doc.webhookEpoch ?? 0,
    dueAt: doc.nextAttemptAt ?? null,
  };
}

/**
 * The worker side of deliveries: create, claim, record. A worker owns a delivery from its own
 * insert or a successful claim until it records the attempt; meanwhile the lease (`leaseOwner`,
 * `leaseUntil`) keeps other workers off until it expires. Hot-path writes filter by `_id` alone
 * and go through the driver (no mongoose documents): on the MongoDB stand-in any other condition
 * is a full collection scan, and these run hundreds of times a second.
 */
export class DeliveryQueue {
  private readonly writes: WriteBatch;
  private readonly fence = new LeaseFence();

  constructor(
    private readonly models: Models,
    readonly instanceId: string,
    private readonly leaseMs: number,
  ) {
    this.writes = new WriteBatch(() => this.collection, WRITE_BATCH_MS, WRITE_BATCH_MAX);
  }

  private get collection() {
    return this.models.Delivery.collection;
  }

  /**
   * Persists the deliveries of one or more events in one round trip before any attempt, each leased to
   * this worker when `claim` (the fast path: no poll between event and first attempt). The
   * unique `key` (event id + subscription id) makes a redelivered event create nothing.
   */
  async insertAll(deliveries: (NewDelivery & { claim: boolean })[]): Promise<(ClaimedDelivery & { claimed: boolean })[]> {
    const now = new Date();
    const leaseUntil = new Date(now.getTime() + this.leaseMs);
    const docs = deliveries.map(({ claim, ...delivery }) => ({
      _id: randomUUID(),
      key: `${delivery.eventId}:${delivery.webhookId}`,
      ...delivery,
      status: 'pending',
      nextAttemptAt: now,
      scheduleIndex: 0,
      manual: false,
      attemptCount: 0,
      attempts: [],
      failureReason: null,
      leaseUntil: claim ? leaseUntil : null,
      leaseOwner: claim ? this.instanceId : null,
      createdAt: now,
      updatedAt: now,
    }));
    let inserted = docs;
    try {
      await this.collection.insertMany(docs as never[], { ordered: false });
    } catch (error) {
      const writeErrors = (error as { writeErrors?: { code?: number }[] }).writeErrors ?? [];
      if (!isDuplicateKeyError(error) && !writeErrors.every((e) => e.code === 11000)) throw error;
      // the stand-in miscounts insertedCount after a duplicate: ask which of ours (random _ids) exist
      const found = await this.collection.find({ _id: { $in: docs.map((doc) => doc._id) as never[] } }, { projection: { _id: 1 } }).toArray();
      const exist = new Set(found.map((doc) => String(doc._id)));
      inserted = docs.filter((doc) => exist.has(doc._id));
    }
    return inserted.map((doc) => ({
      ...claimedOf(doc as unknown as DeliveryDoc, leaseUntil),
      claimed: doc.leaseOwner === this.instanceId,
    }));
  }

  /** Due, unleased deliveries (candidates: each must still be claimed). */
  findDue(limit: number, skipWebhookIds: string[]): Promise<{ _id: string; webhookId: string }[]> {
    const now = new Date();
    const filter: QueryFilter<DeliveryDoc> = { status: 'pending', nextAttemptAt: { $lte: now }, ...leaseFree(now) };
    // endpoints whose queue is full here would crowd everyone else out of the batch
    if (skipWebhookIds.length > 0) filter.webhookId = { $nin: skipWebhookIds };
    return this.models.Delivery.find(filter)
      .sort({ nextAttemptAt: 1 })
      .limit(limit)
      .select({ _id: 1, webhookId: 1 })
      .lean<{ _id: string; webhookId: string }[]>();
  }

  /**
   * Swap-and-inspect: set our lease by `_id` alone and look at the state it replaced ('before').
   * The claim is ours only if that state was claimable (pending, due, lease free or expired); of
   * two racing workers the second sees the first one's live lease. Only `_id` in the filter,
   * because the stand-in scans the whole collection for any other condition (see README).
   */
  async claim(id: string): Promise<ClaimedDelivery | null> {
    const now = new Date();
    const leaseUntil = new Date(now.getTime() + this.leaseMs);
    const before = await this.models.Delivery.findOneAndUpdate(
      { _id: id },
      { $set: { leaseUntil, leaseOwner: this.instanceId } },
      { returnDocument: 'before' },
    ).lean<DeliveryDoc>();
    if (!before) return null;
    const leaseLive = !!before.leaseUntil && before.leaseUntil >= now;
    const due = before.status === 'pending' && !!before.nextAttemptAt && before.nextAttemptAt <= now;
    if (due && !leaseLive) return claimedOf(before, leaseUntil);
    if (!leaseLive) {
      // done or rescheduled since we looked: take our lease off again, or the next retry would
      // wait for it. Nobody can have claimed in between: they would have seen our live lease.
      await this.models.Delivery.updateOne({ _id: id }, { $set: { leaseUntil: null, leaseOwner: null } });
    }
    // else another worker owns it; extending its lease a little is harmless (its record clears it)
    return null;
  }

  /** Before an attempt that waited in memory: extend the lease, or learn it was lost. */
  async renewLease(delivery: ClaimedDelivery): Promise<boolean> {
    const leaseUntil = new Date(Date.now() + this.leaseMs);
    const before = await this.models.Delivery.findOneAndUpdate(
      { _id: delivery.id },
      { $set: { leaseUntil } },
      { returnDocument: 'before' },
    ).lean<DeliveryDoc>();
    const ours = before?.leaseOwner === this.instanceId && before.status === 'pending';
    if (ours) delivery.leaseUntil = leaseUntil;
    return ours;
  }

  /**
   * The heartbeat: extends the leases this worker still owns among `deliveries` (queued or in
   * flight) and updates their local `leaseUntil`. A lease another worker took meanwhile (ours ran
   * out while the database was away) is not taken back; the attempt's own renewal learns it is lost.
   * Reads the owners, then extends ours, both by `_id` alone: with `leaseOwner` in the filter the
   * stand-in compared every delivery with every held id (a burst holds ~1500), half of its CPU
   * (issue 16). The fence keeps a lease ended meanwhile by this worker ended; a claim by another
   * worker in between only has its lease lengthened once, which is harmless (its record clears it).
   */
  async extendLeases(deliveries: ClaimedDelivery[]): Promise<void> {
    const leaseUntil = new Date(Date.now() + this.leaseMs);
    const byId = new Map(deliveries.map((delivery) => [delivery.id, delivery]));
    await this.fence.extend([...byId.keys()], async (ids) => {
      const owners = await this.collection.find({ _id: { $in: ids as never[] } }, { projection: { leaseOwner: 1 } }).toArray();
      const ours = owners.filter((doc) => doc.leaseOwner === this.instanceId).map((doc) => String(doc._id));
      if (ours.length === 0) return;
      await this.collection.updateMany({ _id: { $in: ours as never[] } }, { $set: { leaseUntil } });
      for (const id of ours) (byId.get(id) as ClaimedDelivery).leaseUntil = leaseUntil;
    });
  }

  /** Gives deliveries back (shutdown, full queues) so any worker can claim them at once. */
  async release(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.fence.end(ids, () =>
      this.models.Delivery.updateMany({ _id: { $in: ids }, leaseOwner: this.instanceId }, { $set: { leaseUntil: null, leaseOwner: null } }),
    );
  }

  /** Stores the attempt and the next state in one write, and gives the lease back. By `_id` only:
   * the claim made this worker the owner, and the heartbeat kept the lease while it was in flight.
   * Batched with other attempts' writes (resolves once stored; rejects if the batch failed, and
   * then the lease runs out and the delivery is attempted again). */
  recordAttempt(delivery: ClaimedDelivery, attempt: AttemptDoc, outcome: AttemptOutcome): Promise<void> {
    return this.endLease(delivery, {
      updateOne: {
        filter: { _id: delivery.id as never },
        update: {
          $set: { ...outcome, manual: false, leaseUntil: null, leaseOwner: null, updatedAt: new Date() },
          $push: { attempts: attempt } as never,
          $inc: { attemptCount: 1 },
        },
      },
    });
  }

  /** The endpoint is gone, disabled or was disabled since the delivery was made: the delivery
   * fails without an attempt (never retried by itself; `recover` can send it again). */
  failWithoutAttempt(delivery: ClaimedDelivery, reason: string): Promise<void> {
    return this.endLease(delivery, {
      updateOne: {
        filter: { _id: delivery.id as never },
        update: { $set: { status: 'failed', failureReason: reason, nextAttemptAt: null, leaseUntil: null, leaseOwner: null, updatedAt: new Date() } },
      },
    });
  }

  private endLease(delivery: ClaimedDelivery, op: mongo.AnyBulkWriteOperation): Promise<void> {
    delivery.leaseEnding = true;
    return this.fence.end([delivery.id], () => this.writes.write(op));
  }

  /** Stores the batched writes now (shutdown). */
  flush(): Promise<void> {
    return this.writes.flush();
  }

  /** Retention: finished deliveries older than the cutoff go (the stand-in has no TTL indexes). */
  async purgeFinished(before: Date): Promise<number> {
    const result = await this.collection.deleteMany({ status: { $in: ['succeeded', 'failed'] }, updatedAt: { $lt: before } });
    return result.deletedCount;
  }
}
