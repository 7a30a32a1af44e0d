import { weightedAverageCost } from './weighted-average';

/** What partners may give as the reason of a manual adjustment (API.md). */
export const adjustReasons = ['received', 'sold', 'damaged', 'correction', 'returned'] as const;
export type AdjustReason = (typeof adjustReasons)[number];

/** Every reason a ledger movement can have: manual ones plus those the service writes itself. */
export type MovementReason =
  | AdjustReason
  | 'opening_balance'
  | 'purchase_receipt'
  | 'reserved'
  | 'released'
  | 'consumed';

export interface Actor {
  type: 'api_key' | 'event';
  id: string;
}

/** One ledger line. `quantity` is the signed change of on-hand stock, `reservedQuantity` the signed
 * change of reserved stock; the item's quantities are the sums of these over all its movements. */
export interface Movement {
  id: string;
  seq: number;
  reason: MovementReason;
  quantity: number;
  reservedQuantity: number;
  quantityOnHand: number;
  quantityReserved: number;
  unitCost: number;
  actor: Actor;
  note: string | null;
  reference: Record<string, string> | null;
  createdAt: Date;
}

export interface StockState {
  quantityOnHand: number;
  quantityReserved: number;
  unitCost: number;
  reorderLevel: number;
  lowStockAlerted: boolean;
  movementSeq: number;
}

export type StockChange =
  | { kind: 'adjust'; delta: number; reason: AdjustReason; unitCost?: number }
  | { kind: 'receive'; quantity: number; unitCost?: number }
  | { kind: 'reserve'; quantity: number }
  | { kind: 'release'; quantity: number }
  | { kind: 'consume'; quantity: number }
  /** parts sold on an invoice (billing's sale.parts_sold): a fact already, never refused */
  | { kind: 'sell'; quantity: number };

export class InsufficientStock extends Error {
  constructor(
    readonly quantityAvailable: number,
    readonly requested: number,
  ) {
    super(`Only ${quantityAvailable} available; ${requested} requested.`);
  }
}

export const available = (state: Pick<StockState, 'quantityOnHand' | 'quantityReserved'>) =>
  state.quantityOnHand - state.quantityReserved;

/** The new quantities and cost after one change, or InsufficientStock. Available stock (on hand
 * minus reserved) never goes below zero for what we decide (adjustments, reservations): stock promised
 * to a booking cannot be sold twice. A sale billing already invoiced ('sell') is not ours to refuse:
 * the parts left the shelf, so it is recorded in full and may take available (even on-hand) below
 * zero — the shortfall is visible on the item and in the movement's note (see `saleShortfall`). */
export function applyStockChange(
  state: StockState,
  change: StockChange,
): { onHandDelta: number; reservedDelta: number; unitCost: number; movementCost: number; reason: MovementReason } {
  const avail = available(state);
  switch (change.kind) {
    case 'adjust': {
      if (change.delta < 0 && avail + change.delta < 0) throw new InsufficientStock(avail, -change.delta);
      const isReceipt = change.delta > 0 && change.reason === 'received' && change.unitCost !== undefined;
      const unitCost = isReceipt
        ? weightedAverageCost(state.quantityOnHand, state.unitCost, change.delta, change.unitCost!)
        : state.unitCost;
      return {
        onHandDelta: change.delta,
        reservedDelta: 0,
        unitCost,
        movementCost: isReceipt ? change.unitCost! : state.unitCost,
        reason: change.reason,
      };
    }
    case 'receive': {
      const cost = change.unitCost ?? state.unitCost;
      return {
        onHandDelta: change.quantity,
        reservedDelta: 0,
        unitCost: weightedAverageCost(state.quantityOnHand, state.unitCost, change.quantity, cost),
        movementCost: cost,
        reason: 'purchase_receipt',
      };
    }
    case 'reserve':
      if (avail < change.quantity) throw new InsufficientStock(avail, change.quantity);
      return { onHandDelta: 0, reservedDelta: change.quantity, unitCost: state.unitCost, movementCost: state.unitCost, reason: 'reserved' };
    case 'release':
      return { onHandDelta: 0, reservedDelta: -change.quantity, unitCost: state.unitCost, movementCost: state.unitCost, reason: 'released' };
    case 'sell':
      return { onHandDelta: -change.quantity, reservedDelta: 0, unitCost: state.unitCost, movementCost: state.unitCost, reason: 'sold' };
    case 'consume':
      return {
        onHandDelta: -change.quantity,
        reservedDelta: -change.quantity,
        unitCost: state.unitCost,
        movementCost: state.unitCost,
        reason: 'consumed',
      };
  }
}

/** Low stock is `available <= reorderLevel`. The alert flag flips in the same write as the
 * quantities, so the alert fires exactly once per downward crossing and re-arms only once the item
 * went back above the level. */
export function lowStockTransition(
  wasAlerted: boolean,
  quantityAvailable: number,
  reorderLevel: number,
): { lowStockAlerted: boolean; fire: boolean } {
  const isLow = quantityAvailable <= reorderLevel;
  return { lowStockAlerted: isLow, fire: isLow && !wasAlerted };
}

/** How many of `quantity` sold parts were not available (0 when all were): the oversold part of a sale. */
export const saleShortfall = (state: Pick<StockState, 'quantityOnHand' | 'quantityReserved'>, quantity: number) =>
  Math.max(0, quantity - Math.max(0, available(state)));
