import { errors } from '@pitlane/core';

import { InsufficientStock, type Actor, type AdjustReason } from '../domain/stock';
import { planStockChange } from './item-plans';
import type { ItemWriter, ItemWriteResult } from './item-writer';

export interface Adjustment {
  delta: number;
  reason: AdjustReason;
  unitCost?: number;
  note?: string;
}

/** A manual stock adjustment: planned from the item as read (never below zero available, weighted
 * average on a priced receipt), written with its movement and events in one compare-and-set. */
export function adjustStockUseCase({ writer }: { writer: Pick<ItemWriter, 'write'> }) {
  return async function adjustStock(garageId: string, id: string, input: Adjustment, actor: Actor): Promise<ItemWriteResult> {
    const change = { kind: 'adjust', delta: input.delta, reason: input.reason, ...(input.unitCost !== undefined ? { unitCost: input.unitCost } : {}) } as const;
    try {
      const result = await writer.write(garageId, id, (item) => planStockChange(item, change, { actor, note: input.note ?? null }));
      if (!result) throw errors.notFound('Item');
      return result;
    } catch (error) {
      if (error instanceof InsufficientStock) {
        throw errors.conflict('INSUFFICIENT_STOCK', error.message, { quantityAvailable: error.quantityAvailable, requested: error.requested });
      }
      throw error;
    }
  };
}
