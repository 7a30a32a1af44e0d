import type { Pagination } from '@pitlane/core';

import type { ItemRepository } from '../data-access/item.repository';
import type { MovementRepository } from '../data-access/movement.repository';
import type { LedgerCopier } from './ledger-copier';

/** An item's ledger. Complete even right after a crash: what is still pending on the item is copied first. */
export function listMovementsUseCase(deps: { items: ItemRepository; movements: MovementRepository; ledger: Pick<LedgerCopier, 'copyPending'> }) {
  return async function listMovements(garageId: string, itemId: string, reason: string | undefined, page: Pagination) {
    await deps.items.get(garageId, itemId); // 404 for an item of another garage
    await deps.ledger.copyPending({ garageId, _id: itemId });
    return deps.movements.list(garageId, itemId, reason, page);
  };
}
