import type { Pagination } from '@pitlane/core';
import { isDuplicateKeyError } from '@pitlane/mongo';

import type { Movement } from '../domain/stock';
import type { Models } from './models';

export type MovementRepository = ReturnType<typeof movementRepository>;

/** The materialised ledger (`movements`), one document per movement keyed by its id. */
export function movementRepository({ Movement: Movements }: Pick<Models, 'Movement'>) {
  return {
    /** Inserts copies of an item's movements; one already copied (two instances, a crash between
     * insert and pull) is a duplicate key and is skipped. */
    async insertCopies(garageId: string, itemId: string, movements: Movement[]): Promise<void> {
      const documents = movements.map(({ id, ...rest }) => ({ _id: id as never, garageId, itemId, ...rest }));
      try {
        await Movements.collection.insertMany(documents, { ordered: false });
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        // some were copied before; the stand-in's bulk report is unreliable, so ask which are there
        // (one read, not a round trip per movement) and insert the others one by one
        const ids = documents.map((document) => document._id);
        const present = await Movements.collection.find({ garageId, _id: { $in: ids } }, { projection: { _id: 1 } }).toArray();
        const copied = new Set(present.map((document) => String(document._id)));
        for (const document of documents.filter((candidate) => !copied.has(String(candidate._id)))) {
          await Movements.collection.insertOne(document).catch((e: unknown) => {
            if (!isDuplicateKeyError(e)) throw e;
          });
        }
      }
    },

    async list(garageId: string, itemId: string, reason: string | undefined, page: Pagination) {
      const filter: Record<string, unknown> = { garageId, itemId, ...(reason ? { reason } : {}) };
      const [movements, total] = await Promise.all([
        Movements.find(filter).sort(page.sort).skip(page.skip).limit(page.limit).lean<Record<string, unknown>[]>(),
        Movements.countDocuments(filter),
      ]);
      return { movements, total };
    },
  };
}
