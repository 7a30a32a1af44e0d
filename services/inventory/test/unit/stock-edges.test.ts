import { applyStockChange, available, InsufficientStock, type StockState } from '../../src/domain/stock';

/** The edges a partner relies on that the main stock tests leave open (issue 18, mutation testing):
 * reserved stock cannot be sold, exactly what is available can be reserved, and only a real receipt
 * with a cost moves the average cost. */
const state = (overrides: Partial<StockState> = {}): StockState => ({
  quantityOnHand: 10,
  quantityReserved: 4,
  unitCost: 500,
  reorderLevel: 2,
  lowStockAlerted: false,
  movementSeq: 3,
  ...overrides,
});

const refusal = (run: () => unknown): unknown => {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal');
};

describe('available stock', () => {
  it('when 10 are on hand and 4 reserved, then 6 are available (reserved stock cannot be sold)', () => {
    expect(available({ quantityOnHand: 10, quantityReserved: 4 })).toBe(6);
    expect(available({ quantityOnHand: 3, quantityReserved: 5 })).toBe(-2);
  });

  it('when a booking reserves exactly the 6 available, then it is accepted; 7 is refused naming 6 available', () => {
    expect(applyStockChange(state(), { kind: 'reserve', quantity: 6 })).toEqual({
      onHandDelta: 0, reservedDelta: 6, unitCost: 500, movementCost: 500, reason: 'reserved',
    });
    const refused = refusal(() => applyStockChange(state(), { kind: 'reserve', quantity: 7 }));
    expect(refused).toBeInstanceOf(InsufficientStock);
    expect(refused).toMatchObject({ quantityAvailable: 6, requested: 7, message: 'Only 6 available; 7 requested.' });
  });

  it('when a sale of one unit meets an item whose stock is all reserved, then it is refused with 0 available', () => {
    const refused = refusal(() => applyStockChange(state({ quantityOnHand: 4 }), { kind: 'adjust', delta: -1, reason: 'sold' }));
    expect(refused).toMatchObject({ quantityAvailable: 0, requested: 1, message: 'Only 0 available; 1 requested.' });
  });

  it('when a zero adjustment meets an over-reserved item, then it is not refused (only decreases are checked)', () => {
    expect(applyStockChange(state({ quantityOnHand: 2 }), { kind: 'adjust', delta: 0, reason: 'correction' })).toEqual({
      onHandDelta: 0, reservedDelta: 0, unitCost: 500, movementCost: 500, reason: 'correction',
    });
  });
});

describe('which adjustments move the average cost', () => {
  it('when stock is received without a cost, then the cost and the movement cost stay 500', () => {
    expect(applyStockChange(state(), { kind: 'adjust', delta: 5, reason: 'received' })).toEqual({
      onHandDelta: 5, reservedDelta: 0, unitCost: 500, movementCost: 500, reason: 'received',
    });
  });

  it('when a correction or a return carries a cost, then the cost stays 500 (only receipts are priced)', () => {
    for (const reason of ['correction', 'returned'] as const) {
      expect(applyStockChange(state(), { kind: 'adjust', delta: 5, reason, unitCost: 800 })).toEqual({
        onHandDelta: 5, reservedDelta: 0, unitCost: 500, movementCost: 500, reason,
      });
    }
  });

  it('when a negative "received" adjustment carries a cost, then the cost stays 500', () => {
    expect(applyStockChange(state(), { kind: 'adjust', delta: -2, reason: 'received', unitCost: 800 })).toEqual({
      onHandDelta: -2, reservedDelta: 0, unitCost: 500, movementCost: 500, reason: 'received',
    });
  });

  it('when a zero "received" adjustment carries a cost, then nothing is priced at that cost', () => {
    expect(applyStockChange(state(), { kind: 'adjust', delta: 0, reason: 'received', unitCost: 800 })).toMatchObject({
      unitCost: 500, movementCost: 500,
    });
  });

  it('when a purchase receipt brings 5 at 800 onto 10 at 500, then the cost is 600 and the movement is priced 800', () => {
    expect(applyStockChange(state(), { kind: 'receive', quantity: 5, unitCost: 800 })).toEqual({
      onHandDelta: 5, reservedDelta: 0, unitCost: 600, movementCost: 800, reason: 'purchase_receipt',
    });
  });
});
