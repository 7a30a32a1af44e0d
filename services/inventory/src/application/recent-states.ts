import type { ItemDocument } from '../data-access/item.model';

/** How long the state an item was last written in stays a writer's starting point, and for how many items. */
const KEPT_MS = 1_000;
const KEPT_ITEMS = 1_000;

/**
 * The state this process last wrote, per item, for a short while: the next write of a hot item plans
 * from it instead of reading the item first (one round trip instead of two). It is only a guess: the
 * compare-and-set on the version refuses a write planned from a state another process has since
 * changed, and the writer then reads the item and plans again.
 */
export class RecentStates {
  private readonly states = new Map<string, { item: ItemDocument; at: number }>();

  get(key: string): ItemDocument | undefined {
    const entry = this.states.get(key);
    if (!entry) return undefined;
    if (Date.now() - entry.at <= KEPT_MS) return entry.item;
    this.states.delete(key);
    return undefined;
  }

  set(key: string, item: ItemDocument): void {
    this.states.delete(key); // re-inserted last: the map's order is the order of use
    this.states.set(key, { item, at: Date.now() });
    if (this.states.size > KEPT_ITEMS) this.states.delete(this.states.keys().next().value!);
  }

  delete(key: string): void {
    this.states.delete(key);
  }
}
