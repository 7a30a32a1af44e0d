import type { EventEnvelope } from '@pitlane/events';

import type { Movement } from '../domain/stock';
import type { ItemDocument } from '../data-access/item.model';
import type { ItemPlan } from './item-plans';
import type { ItemWriteResult } from './item-writer';

export type Planner = (item: ItemDocument) => ItemPlan | null;
export type Outcome = { value: ItemWriteResult | null; writes: boolean } | { error: unknown };
export interface Request {
  plan: Planner;
  resolve(value: ItemWriteResult | null): void;
  reject(error: unknown): void;
}

/** Plans that only set top-level fields (and add a movement) can be applied one after another in
 * memory; anything touching arrays or dotted paths is written on its own. */
const isSimple = (plan: ItemPlan) => !plan.push && !plan.unset && !Object.keys(plan.set).some((key) => key.includes('.'));

/** Plans the requests in order on the evolving state, stopping before a second "special" plan. */
export function planBatch(item: ItemDocument, batch: Request[]) {
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

export function settle(requests: Request[], outcomes: Outcome[]): void {
  requests.forEach((request, index) => {
    const outcome = outcomes[index]!;
    if ('error' in outcome) request.reject(outcome.error);
    else request.resolve(outcome.value);
  });
}

