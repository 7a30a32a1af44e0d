import { currentContext, errors, runWithContext } from '@pitlane/core';
import type { OutboxRelay } from '@pitlane/events';

import type { Movement } from '../domain/stock';
import type { ItemDocument } from '../data-access/item.model';
import type { ItemRepository } from '../data-access/item.repository';
import { planBatch, settle, type Planner, type Request } from './item-batch';
import type { LedgerCopier } from './ledger-copier';

export interface ItemWriteResult {
  outcome: 'written' | 'unchanged';
  item: ItemDocument;
  movement?: Movement;
}

interface ItemQueue {
  garageId: string;
  itemId: string;
  pending: Request[];
}

const MAX_ATTEMPTS = 50;
const MAX_BATCH = 100;

/**
 * Every change of an item goes through here. A change is a plan computed from the item's state;
 * it is written by ONE conditional update `{_id, garageId, version}` that sets the new state, bumps
 * the version, pushes the movement(s) into `pendingMovements` and the events into the outbox. If
 * another process wrote in between, the update matches nothing: re-read and re-plan.
 *
 * Group commit: changes to the same item that queue up while a write is in flight are planned one
 * after another on the in-memory state and written together in the next single update — each keeps
 * its own decision (e.g. INSUFFICIENT_STOCK), movement and events, and all are refused or accepted
 * against the exact state they follow. The ledger copier then copies movements to `movements`.
 */
export class ItemWriter {
  private readonly queues = new Map<string, ItemQueue>();
  /** the state this process last wrote, per item with writes queued: saves a read per batch */
  private readonly lastWritten = new Map<string, ItemDocument>();

  constructor(
    private readonly items: Pick<ItemRepository, 'findForWrite' | 'compareAndSet'>,
    private readonly relay: Pick<OutboxRelay, 'nudge'>,
    private readonly ledger: Pick<LedgerCopier, 'schedule'>,
  ) {}

  /** Publish outbox events written outside the writer (e.g. on a purchase order) without waiting for a poll. */
  nudge(): void {
    this.relay.nudge();
  }

  /** `plan` returns null when there is nothing to do (e.g. an event already applied); null = no such item. */
  write(garageId: string, itemId: string, planner: Planner): Promise<ItemWriteResult | null> {
    // the batch runs in the context of whichever request started it: plan each change in its own,
    // so its events carry its request id
    const context = currentContext();
    const plan: Planner = context ? (item) => runWithContext(context, () => planner(item)) : planner;
    return new Promise((resolve, reject) => {
      const key = `${garageId}/${itemId}`;
      const queue = this.queues.get(key);
      if (queue) {
        queue.pending.push({ plan, resolve, reject });
        return;
      }
      const created: ItemQueue = { garageId, itemId, pending: [{ plan, resolve, reject }] };
      this.queues.set(key, created);
      void this.drain(key, created);
    });
  }

  private async drain(key: string, queue: ItemQueue): Promise<void> {
    while (queue.pending.length > 0) {
      const batch = queue.pending.splice(0, MAX_BATCH);
      const leftover = await this.writeBatch(key, queue, batch);
      queue.pending.unshift(...leftover);
    }
    this.queues.delete(key);
    this.lastWritten.delete(key);
  }

  /** Writes as many of the batch's plans as can go together; returns the requests left for later. */
  private async writeBatch(key: string, { garageId, itemId }: ItemQueue, batch: Request[]): Promise<Request[]> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      let item: ItemDocument | null;
      try {
        item = this.lastWritten.get(key) ?? (await this.items.findForWrite(garageId, itemId));
      } catch (error) {
        batch.forEach((request) => request.reject(error));
        return [];
      }
      if (!item) {
        batch.forEach((request) => request.resolve(null));
        return [];
      }
      const { outcomes, set, movements, events, special, writes } = planBatch(item, batch);
      const included = batch.slice(0, outcomes.length);
      if (!writes) {
        settle(included, outcomes);
        return batch.slice(outcomes.length);
      }
      const fullSet = { ...set, version: item.version + 1, updatedAt: new Date() };
      let matched: boolean;
      try {
        matched = await this.items.compareAndSet(garageId, itemId, item.version, {
          set: fullSet,
          ...(special?.unset ? { unset: special.unset } : {}),
          ...(special?.push ? { push: special.push } : {}),
          movements,
          events,
        });
      } catch (failure) {
        this.lastWritten.delete(key);
        settle(included, outcomes.map((outcome) => ('value' in outcome && outcome.writes ? { error: failure } : outcome)));
        return batch.slice(outcomes.length);
      }
      if (matched) {
        // arrays changed by $push or dotted paths are not mirrored in memory: re-read those next time
        if (special) this.lastWritten.delete(key);
        else this.lastWritten.set(key, { ...item, ...fullSet });
        settle(included, outcomes);
        this.relay.nudge();
        if (movements.length > 0) this.ledger.schedule(garageId, itemId);
        return batch.slice(outcomes.length);
      }
      // lost the race to a writer in another process: back off a little, re-read, re-plan all
      this.lastWritten.delete(key);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(2 ** attempt, 50)));
    }
    batch.forEach((request) => request.reject(errors.unavailable('The item is being changed by too many writers; retry shortly.')));
    return [];
  }
}
