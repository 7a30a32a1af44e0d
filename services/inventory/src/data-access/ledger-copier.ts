import type { Logger } from '@pitlane/core';
import { isDuplicateKeyError } from '@pitlane/mongo';
import type { UpdateQuery } from 'mongoose';

import type { Movement } from '../domain/stock';
import type { ItemDocument } from './item.model';
import type { Models } from './models';

/**
 * Copies movements from items' `pendingMovements` to the `movements` collection, then pulls them
 * from the item. Runs shortly after writes, in batches, off the request path; the copy is keyed by
 * movement id, so copying twice (two instances, a crash between insert and pull) is harmless.
 */
export class LedgerCopier {
  private readonly dirty = new Map<string, string>(); // itemId → garageId
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private closed = false;

  constructor(
    private readonly models: Models,
    private readonly logger: Logger,
    private readonly delayMs = 20,
  ) {}

  /** Marks an item as having pending movements; they are copied within moments. */
  schedule(garageId: string, itemId: string): void {
    if (this.closed) return; // shutting down: the next start's repairer copies it
    this.dirty.set(itemId, garageId);
    if (!this.timer && !this.running) this.timer = setTimeout(() => void this.drain(), this.delayMs);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
    if (this.dirty.size > 0) await this.drain();
  }

  /** Copies what is pending on the matching items (all of them for the repairer, one for a ledger read). */
  async copyPending(filter: { garageId?: string; _id?: string } = {}): Promise<number> {
    const items = await this.models.Item.find({ ...filter, 'pendingMovements.0': { $exists: true } })
      .select({ garageId: 1, pendingMovements: 1 })
      .limit(500)
      .lean<ItemDocument[]>();
    let copied = 0;
    for (const item of items) {
      await this.copy(item.garageId, item._id, item.pendingMovements);
      copied += item.pendingMovements.length;
    }
    return copied;
  }

  async copy(garageId: string, itemId: string, movements: Movement[]): Promise<void> {
    if (movements.length === 0) return;
    const documents = movements.map(({ id, ...rest }) => ({ _id: id as never, garageId, itemId, ...rest }));
    try {
      await this.models.Movement.collection.insertMany(documents, { ordered: false });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      // some were copied before; the stand-in's bulk report is unreliable, so go one by one
      for (const document of documents) {
        await this.models.Movement.collection.insertOne(document).catch((e: unknown) => {
          if (!isDuplicateKeyError(e)) throw e;
        });
      }
    }
    await this.models.Item.updateOne(
      { _id: itemId, garageId },
      { $pull: { pendingMovements: { id: { $in: movements.map((m) => m.id) } } } } as UpdateQuery<ItemDocument>,
      { timestamps: false }, // bookkeeping, not a change partners should see in updatedAt
    );
  }

  private async drain(): Promise<void> {
    this.timer = undefined;
    const batch = [...this.dirty];
    this.dirty.clear();
    this.running = (async () => {
      for (const [itemId, garageId] of batch) {
        try {
          await this.copyPending({ garageId, _id: itemId });
        } catch (error) {
          this.logger.warn({ err: error, itemId }, 'movements not copied to the ledger yet; the repairer will');
        }
      }
    })();
    await this.running;
    this.running = undefined;
    if (this.dirty.size > 0) this.schedule(...this.firstDirty());
  }

  private firstDirty(): [string, string] {
    const [itemId, garageId] = [...this.dirty][0]!;
    return [garageId, itemId];
  }
}
