import { currentContext, errors, runWithContext } from '@pitlane/core';
import type { EventEnvelope, OutboxRelay } from '@pitlane/events';

import type { Movement } from '../domain/stock';
import type { ItemDocument } from '../data-access/item.model';
import type { ItemRepository } from '../data-access/item.repository';
import type { ItemPlan } from './item-plans';
import type { LedgerCopier } from './ledger-copier';
import { RecentStates } from './recent-states';

export interface ItemWriteResult {
  outcome: 'written' | 'unchanged';
  item: ItemDocument;
  movement?: Movement;
}

export type Planner = (item: ItemDocument) => ItemPlan | null;
type Outcome = { value: ItemWriteResult | null; writes: boolean } | { error: unknown };
interface Request {
  plan: Planner;
  resolve(value: ItemWriteResult | null): void;
  reject(error: unknown): void;
}

/** Plans that only set top-level fields (and add a movement) can be applied one after another in
 * memory; anything touching arrays or dotted paths is written on its own. */
const isSimple = (plan: ItemPlan) => !plan.push && !plan.unset && !Object.keys(plan.set).some((key) => key.includes('.'));

/** Plans the requests in order on the evolving state, stopping before a second "special" plan. */
function planBatch(item: ItemDocument, batch: Request[]) {
  let state = item;
  const outcomes: Outcome[] = [];
  const set: Record<string, unknown> = {};
  const movements: Movement[] = [];
  const events: EventEnvelope[] = [];
  let special: ItemPlan | undefined;
  let writes = false;
  for (const request of batch) {
    let planned: ItemPlan | null;
    try {
      planned = request.plan(state);
    } catch (error) {
      outcomes.push({ error });
      continue;
    }
    if (!planned) {
      outcomes.push({ value: { outcome: 'unchanged', item: state }, writes: false });
      continue;
    }
    if (!isSimple(planned) && writes) break; // written on its own, in the next batch
    writes = true;
    Object.assign(set, planned.set);
    state = { ...state, ...planned.set, version: item.version + 1 };
    if (planned.movement) movements.push(planned.movement);
    events.push(...planned.events);
    outcomes.push({ value: { outcome: 'written', item: state, ...(planned.movement ? { movement: planned.movement } : {}) }, writes: true });
    if (!isSimple(planned)) {
      special = planned; // its array changes are not in `state`: nothing may be planned after it
      break;
    }
  }
  return { outcomes, set, movements, events, special, writes };
}

function settle(requests: Request[], outcomes: Outcome[]): void {
  requests.forEach((request, index) => {
    const outcome = outcomes[index]!;
    if ('error' in outcome) request.reject(outcome.error);
    else request.resolve(outcome.value);
  });
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
  /** the state this process last wrote, per recently written item: saves a read per batch */
  private readonly lastWritten = new RecentStates();

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
  }

  /** Writes as many of the batch's plans as can go together; returns the requests left for later. */
  private async writeBatch(key: string, { garageId, itemId }: ItemQueue, batch: Request[]): Promise<Request[]> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      let item: ItemDocument | null;
      const remembered = this.lastWritten.get(key);
      try {
        item = remembered ?? (await this.items.findForWrite(garageId, itemId));
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
        // no compare-and-set checks a refusal: decide it on the stored item, not on what this process wrote last
        if (remembered) {
          this.lastWritten.delete(key);
          continue;
        }
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
        if (movements.length > 0) this.ledger.schedule(garageId, itemId, movements);
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
