import fc from 'fast-check';

import { applyStockChange, InsufficientStock, lowStockTransition, saleShortfall, type StockChange, type StockState } from '../../src/domain/stock';
import { weightedAverageCost } from '../../src/domain/weighted-average';

/** Properties of stock arithmetic over generated sequences of changes (the hand-computed cases are in
 * stock.test.ts and stock-edges.test.ts): what the ledger promises whatever order things happen in. */

const qty = fc.integer({ min: 1, max: 500 });
const cost = fc.integer({ min: 0, max: 1_000_000 });
// what the service decides itself (a 'sell' is billing's fact and may overdraw: checked separately)
const decidedChange: fc.Arbitrary<StockChange> = fc.oneof(
  fc.record({ kind: fc.constant('adjust' as const), delta: fc.integer({ min: -500, max: 500 }).filter((d) => d !== 0), reason: fc.constantFrom('received', 'damaged', 'correction', 'returned', 'sold' as const) }),
  fc.record({ kind: fc.constant('receive' as const), quantity: qty, unitCost: cost }),
  fc.record({ kind: fc.constant('reserve' as const), quantity: qty }),
);

const start = (onHand: number, unitCost: number): StockState => ({
  quantityOnHand: onHand, quantityReserved: 0, unitCost, reorderLevel: 0, lowStockAlerted: false, movementSeq: 0,
});

/** Applies a change the way the repository does: the deltas, or the refusal. */
function step(state: StockState, change: StockChange): StockState | InsufficientStock {
  try {
    const result = applyStockChange(state, change);
    return { ...state, quantityOnHand: state.quantityOnHand + result.onHandDelta, quantityReserved: state.quantityReserved + result.reservedDelta, unitCost: result.unitCost };
  } catch (error) {
    if (error instanceof InsufficientStock) return error;
    throw error;
  }
}

describe('stock properties', () => {
  it('when any sequence of adjustments, receipts and reservations is applied, then available stock never goes below zero and every refusal was for more than was available', () => {
    fc.assert(
      fc.property(fc.nat({ max: 1000 }), cost, fc.array(decidedChange, { maxLength: 40 }), (onHand, unitCost, changes) => {
        let state = start(onHand, unitCost);
        for (const change of changes) {
          const next = step(state, change);
          if (next instanceof InsufficientStock) {
            expect(next.quantityAvailable).toBe(state.quantityOnHand - state.quantityReserved);
            expect(next.requested).toBeGreaterThan(next.quantityAvailable);
            continue;
          }
          state = next;
          expect(state.quantityOnHand - state.quantityReserved).toBeGreaterThanOrEqual(0);
          expect(state.quantityReserved).toBeGreaterThanOrEqual(0);
        }
      }),
    );
  });

  it('when parts are reserved and the booking then completes or is cancelled, then on-hand drops by exactly what was consumed and nothing stays reserved', () => {
    fc.assert(
      fc.property(fc.nat({ max: 1000 }), fc.array(fc.record({ quantity: qty, completes: fc.boolean() }), { maxLength: 20 }), (onHand, bookings) => {
        let state = start(onHand, 100);
        const held: { quantity: number; completes: boolean }[] = [];
        for (const booking of bookings) {
          const next = step(state, { kind: 'reserve', quantity: booking.quantity });
          if (next instanceof InsufficientStock) continue;
          state = next;
          held.push(booking);
        }
        for (const booking of held) {
          const next = step(state, { kind: booking.completes ? 'consume' : 'release', quantity: booking.quantity });
          if (next instanceof InsufficientStock) throw next; // consume and release are never refused
          state = next;
        }
        const consumed = held.filter((b) => b.completes).reduce((sum, b) => sum + b.quantity, 0);
        expect(state.quantityReserved).toBe(0);
        expect(state.quantityOnHand).toBe(onHand - consumed);
      }),
    );
  });

  it('when stock is received at any cost, then the average cost lies between the old cost and the receipt cost', () => {
    fc.assert(
      fc.property(fc.integer({ min: -50, max: 10_000 }), cost, qty, cost, (onHand, oldCost, quantity, unitCost) => {
        const average = weightedAverageCost(onHand, oldCost, quantity, unitCost);
        expect(Number.isInteger(average)).toBe(true);
        expect(average).toBeGreaterThanOrEqual(onHand > 0 ? Math.min(oldCost, unitCost) : unitCost);
        expect(average).toBeLessThanOrEqual(onHand > 0 ? Math.max(oldCost, unitCost) : unitCost);
        // receiving at the current cost keeps it
        if (onHand > 0) expect(weightedAverageCost(onHand, oldCost, quantity, oldCost)).toBe(oldCost);
      }),
    );
  });

  it('when available stock moves up and down, then the low-stock alert fires exactly once per crossing below the level', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20 }), fc.array(fc.integer({ min: -5, max: 40 }), { minLength: 1, maxLength: 50 }), (level, levels) => {
        let alerted = false;
        let fired = 0;
        let crossings = 0;
        let wasLow = false;
        for (const availableNow of levels) {
          const isLow = availableNow <= level;
          if (isLow && !wasLow) crossings++;
          wasLow = isLow;
          const transition = lowStockTransition(alerted, availableNow, level);
          alerted = transition.lowStockAlerted;
          if (transition.fire) fired++;
        }
        expect(fired).toBe(crossings);
      }),
    );
  });

  it('when parts are sold, then the shortfall is what the sale took beyond the available stock, never negative nor more than sold', () => {
    fc.assert(
      fc.property(fc.integer({ min: -100, max: 1000 }), fc.nat({ max: 1000 }), qty, (onHand, reserved, quantity) => {
        const shortfall = saleShortfall({ quantityOnHand: onHand, quantityReserved: reserved }, quantity);
        expect(shortfall).toBeGreaterThanOrEqual(0);
        expect(shortfall).toBeLessThanOrEqual(quantity);
        // the part of the sale that was covered never exceeds what was available
        expect(quantity - shortfall).toBeLessThanOrEqual(Math.max(0, onHand - reserved));
        expect(shortfall === 0).toBe(quantity <= onHand - reserved);
      }),
    );
  });
});
