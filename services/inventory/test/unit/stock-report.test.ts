import { SETTLED_KEYS_WINDOW, settlementOf, withSettledKey } from '../../src/domain/reservations';
import { categoryReport, stockStats } from '../../src/domain/stock-report';

describe('stock reports', () => {
  const rows = [
    { category: 'Oils', quantityOnHand: 3, quantityReserved: 0, unitCost: 1000, reorderLevel: 5 },
    { category: 'Oils', quantityOnHand: 2, quantityReserved: 2, unitCost: 250, reorderLevel: 0 },
    { category: null, quantityOnHand: 0, quantityReserved: 0, unitCost: 400, reorderLevel: 0 },
    { category: 'Brakes', quantityOnHand: 4, quantityReserved: 1, unitCost: 100, reorderLevel: 1 },
  ];

  it('when categories are reported, then stock value is on hand × cost, sorted by name, no category last', () => {
    expect(categoryReport(rows)).toEqual([
      { category: 'Brakes', itemCount: 1, units: 4, stockValue: 400 },
      { category: 'Oils', itemCount: 2, units: 5, stockValue: 3500 },
      { category: null, itemCount: 1, units: 0, stockValue: 0 },
    ]);
  });

  it('when stats are taken, then low stock is available ≤ level and out of stock is available ≤ 0', () => {
    expect(stockStats(rows)).toEqual({ itemCount: 4, totalUnits: 9, reservedUnits: 3, stockValue: 3900, lowStockCount: 3, outOfStockCount: 2 });
  });
});

describe('settling booking lines', () => {
  it('when a booking ends, then reserved lines are consumed or released and backordered ones dropped', () => {
    expect([settlementOf('reserved', 'consume'), settlementOf('reserved', 'release'), settlementOf('backordered', 'consume')]).toEqual([
      'consumed', 'released', 'dropped',
    ]);
  });

  it('when more lines settle than the window holds, then the oldest keys leave and a repeated key moves to the end', () => {
    let keys: string[] = [];
    for (let i = 0; i < SETTLED_KEYS_WINDOW + 3; i++) keys = withSettledKey(keys, `b${i}:l1`);
    expect(keys).toHaveLength(SETTLED_KEYS_WINDOW);
    expect(keys[0]).toBe('b3:l1');
    expect(withSettledKey(keys, 'b3:l1').slice(-2)).toEqual([`b${SETTLED_KEYS_WINDOW + 2}:l1`, 'b3:l1']);
  });
});
