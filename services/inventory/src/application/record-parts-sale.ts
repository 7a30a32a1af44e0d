import type { Logger } from '@pitlane/core';
import type { HandlerOutcome } from '@pitlane/events';

import { saleShortfall } from '../domain/stock';
import { planStockChange } from './item-plans';
import type { ItemWriter } from './item-writer';

export interface PartsSale {
  /** the consumed sale.parts_sold event: the actor of the movements */
  eventId: string;
  garageId: string;
  invoiceId: string;
  invoiceNumber: string;
  lines: { lineId: string; itemId: string; quantity: number }[];
}

/** How many idempotency keys an item remembers (shared with purchase-order receipts). */
const APPLIED_KEYS_WINDOW = 500;

/**
 * Parts sold on a manual invoice leave the shelf: each line is a `sold` movement of its item, keyed
 * sale:invoiceId:lineId (the movement id, and remembered in the item's `appliedKeys` in the same write),
 * so a redelivered or republished sale takes nothing twice. Never refused: billing already sold the
 * parts, so a line beyond the available stock is recorded in full (available goes negative, the
 * movement's note says by how much, and it is logged); a line naming an item the garage does not have
 * is logged and skipped — there is no stock of it to take.
 */
export function recordPartsSaleUseCase(deps: { writer: Pick<ItemWriter, 'write'>; logger: Logger }) {
  return async function recordPartsSale(sale: PartsSale): Promise<HandlerOutcome> {
    const { garageId, invoiceId, invoiceNumber } = sale;
    let written = 0;
    for (const { lineId, itemId, quantity } of sale.lines) {
      const key = `sale:${invoiceId}:${lineId}`;
      let short = 0;
      const result = await deps.writer.write(garageId, itemId, (item) => {
        if (item.appliedKeys.includes(key)) return null;
        short = saleShortfall(item, quantity);
        return planStockChange(
          item,
          { kind: 'sell', quantity },
          {
            actor: { type: 'event', id: sale.eventId },
            reference: { invoiceId, invoiceNumber, lineId },
            movementId: key,
            note: short > 0 ? `sold ${short} beyond the available stock` : `invoice ${invoiceNumber}`,
          },
          { push: { appliedKeys: { $each: [key], $slice: -APPLIED_KEYS_WINDOW } } },
        );
      });
      if (!result) deps.logger.warn({ garageId, invoiceId, lineId, itemId }, 'sold part is not an item of the garage; no stock taken');
      else if (result.outcome === 'written') {
        written += 1;
        if (short > 0) deps.logger.warn({ garageId, invoiceId, lineId, itemId, short }, 'parts sold beyond the available stock');
      }
    }
    return written > 0 ? 'handled' : 'duplicate';
  };
}
