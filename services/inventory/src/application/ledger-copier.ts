import type { Logger } from '@pitlane/core';

import type { Movement } from '../domain/stock';
import type { ItemRepository } from '../data-access/item.repository';
import type { MovementRepository } from '../data-access/movement.repository';

/**
 * Copies movements from items' `pendingMovements` to the `movements` collection, then pulls them
 * from the item. Runs shortly after writes, in batches, off the request path; the copy is keyed by
 * movement id, so copying twice (two instances, a crash between insert and pull) is harmless.
 * A writer hands over the movements it has just stored, so the copy needs no read of the item; what
 * a crash loses in memory is still pending on the item, and the repairer's sweep copies it.
 */
export class LedgerCopier {
  /** itemId → its garage and the movements handed over since the last drain (none: read them from the item) */
  private readonly dirty = new Map<string, { garageId: string; movements: Movement[] }>();
  /** the items of the drain under way */
  private copying = new Set<string>();
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private closed = false;

  constructor(
    private readonly items: Pick<ItemRepository, 'withPendingMovements' | 'pullPendingMovements'>,
    private readonly movements: Pick<MovementRepository, 'insertCopies'>,
    private readonly logger: Logger,
    // a hot item's movements of this long go in one insert and one pull; longer (100 ms) saved
    // commands but the stand-in then spent more per write on the longer pending list (bench:inventory)
    private readonly delayMs = 30,
  ) {}

  /** Marks an item as having pending movements (those just written, when the writer knows them);
   * they are copied within moments. */
  schedule(garageId: string, itemId: string, movements: Movement[] = []): void {
    if (this.closed) return; // shutting down: the next start's repairer copies it
    const entry = this.dirty.get(itemId);
    if (entry) entry.movements.push(...movements);
    else this.dirty.set(itemId, { garageId, movements: [...movements] });
    if (!this.timer && !this.running) this.timer = setTimeout(() => void this.drain(), this.delayMs);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
    if (this.dirty.size > 0) await this.drain();
  }

  /** Copies what is pending on the matching items (all of them for the repairer, one for a ledger read).
   * The repairer's sweep leaves the items this copier is about to copy: copying them twice would only
   * cost duplicate-key round trips. */
  async copyPending(filter: { garageId?: string; _id?: string } = {}): Promise<number> {
    const sweep = filter._id === undefined;
    const items = await this.items.withPendingMovements(filter);
    let copied = 0;
    for (const item of items) {
      if (sweep && (this.dirty.has(item._id) || this.copying.has(item._id))) continue;
      await this.copy(item.garageId, item._id, item.pendingMovements);
      copied += item.pendingMovements.length;
    }
    return copied;
  }

  /** copy first, pull after: a crash in between leaves the movement pending, and copying it again is a no-op */
  async copy(garageId: string, itemId: string, movements: Movement[]): Promise<void> {
    if (movements.length === 0) return;
    await this.movements.insertCopies(garageId, itemId, movements);
    await this.items.pullPendingMovements(garageId, itemId, movements.map((m) => m.id));
  }

  private async drain(): Promise<void> {
    this.timer = undefined;
    const batch = [...this.dirty];
    this.dirty.clear();
    this.copying = new Set(batch.map(([itemId]) => itemId));
    this.running = (async () => {
      for (const [itemId, { garageId, movements }] of batch) {
        try {
          if (movements.length > 0) await this.copy(garageId, itemId, movements);
          else await this.copyPending({ garageId, _id: itemId });
        } catch (error) {
          this.logger.warn({ err: error, itemId }, 'movements not copied to the ledger yet; the repairer will');
        }
      }
    })();
    await this.running;
    this.running = undefined;
    this.copying.clear();
    if (this.dirty.size > 0) this.schedule(...this.firstDirty());
  }

  private firstDirty(): [string, string] {
    const [itemId, { garageId }] = [...this.dirty][0]!;
    return [garageId, itemId];
  }
}
