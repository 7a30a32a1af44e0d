import { applyStockChange, InsufficientStock, lowStockTransition, saleShortfall, type StockState } from '../../src/domain/stock';

const state = (overrides: Partial<StockState> = {}): StockState => ({
  quantityOnHand: 10,
  quantityReserved: 4,
  unitCost: 500,
  reorderLevel: 2,
  lowStockAlerted: false,
  movementSeq: 3,
  ...overrides,
});

describe('stock changes', () => {
  it('when a sale takes exactly the available stock, then it is accepted; one more unit is refused with what is available', () => {
    expect(applyStockChange(state(), { kind: 'adjust', delta: -6, reason: 'sold' })).toEqual({
      onHandDelta: -6, reservedDelta: 0, unitCost: 500, movementCost: 500, reason: 'sold',
    });
    const refused = (() => {
      try {
        applyStockChange(state(), { kind: 'adjust', delta: -7, reason: 'sold' });
      } catch (error) {
        return error;
      }
    })();
    expect(refused).toBeInstanceOf(InsufficientStock);
    expect(refused).toMatchObject({ quantityAvailable: 6, requested: 7 });
  });

  it('when an invoiced sale takes more than is available, then it is recorded in full and the shortfall is what was not available', () => {
    // 10 on hand, 4 reserved: 6 available; an invoice sold 9
    expect(applyStockChange(state(), { kind: 'sell', quantity: 9 })).toEqual({
      onHandDelta: -9, reservedDelta: 0, unitCost: 500, movementCost: 500, reason: 'sold',
    });
    expect([saleShortfall(state(), 6), saleShortfall(state(), 9), saleShortfall(state({ quantityOnHand: 2 }), 3)]).toEqual([0, 3, 3]);
  });

  it('when stock is received with a unit cost, then the cost becomes the weighted average; without one it stays', () => {
    // (10 × 500 + 5 × 800) / 15 = 600
    expect(applyStockChange(state(), { kind: 'adjust', delta: 5, reason: 'received', unitCost: 800 })).toMatchObject({ unitCost: 600, movementCost: 800 });
    expect(applyStockChange(state(), { kind: 'adjust', delta: 5, reason: 'returned' })).toMatchObject({ unitCost: 500, movementCost: 500 });
    // purchase receipt without a line cost comes in at the current cost
    expect(applyStockChange(state(), { kind: 'receive', quantity: 5 })).toMatchObject({ onHandDelta: 5, unitCost: 500, reason: 'purchase_receipt' });
  });

  it('when parts are reserved, released and consumed, then reserved and on-hand move as the ledger says', () => {
    expect(applyStockChange(state(), { kind: 'reserve', quantity: 6 })).toMatchObject({ onHandDelta: 0, reservedDelta: 6, reason: 'reserved' });
    expect(() => applyStockChange(state(), { kind: 'reserve', quantity: 7 })).toThrow(InsufficientStock);
    expect(applyStockChange(state(), { kind: 'release', quantity: 4 })).toMatchObject({ onHandDelta: 0, reservedDelta: -4, reason: 'released' });
    expect(applyStockChange(state(), { kind: 'consume', quantity: 4 })).toMatchObject({ onHandDelta: -4, reservedDelta: -4, reason: 'consumed' });
  });

  it('when a correction adds stock even below zero available, then it is accepted (only decreases are checked)', () => {
    expect(applyStockChange(state({ quantityOnHand: 2, quantityReserved: 4 }), { kind: 'adjust', delta: 1, reason: 'correction' })).toMatchObject({ onHandDelta: 1 });
  });
});

describe('low-stock crossing', () => {
  it.each([
    // wasAlerted, available, reorderLevel → alerted, fire
    [false, 3, 2, false, false], // above the level
    [false, 2, 2, true, true], // at the level: the downward crossing fires
    [true, 1, 2, true, false], // still low: no second alert
    [true, 3, 2, false, false], // back above: re-armed, silently
    [false, 0, 0, true, true], // out of stock with level 0
  ])('when alerted=%s and %i available at level %i, then alerted=%s and fire=%s', (was, available, level, alerted, fire) => {
    expect(lowStockTransition(was, available, level)).toEqual({ lowStockAlerted: alerted, fire });
  });
});
