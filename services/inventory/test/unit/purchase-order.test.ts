import { canMoveTo, canReceive, checkReceipt, formatPurchaseOrderNumber } from '../../src/domain/purchase-order';
import { purchaseOrderStats } from '../../src/domain/purchase-order-stats';

describe('purchase-order rules', () => {
  const lines = [
    { itemId: 'a', quantity: 10, quantityReceived: 6 },
    { itemId: 'b', quantity: 4, quantityReceived: 0 },
  ];

  it('when goods are received, then lines add up, the same item twice counts together, and over-receipt names what is outstanding', () => {
    const partial = checkReceipt(lines, [{ itemId: 'a', quantity: 2 }, { itemId: 'a', quantity: 2 }]);
    expect(partial).toEqual({ ok: true, received: new Map([['a', 10], ['b', 0]]), complete: false });
    expect(checkReceipt(lines, [{ itemId: 'a', quantity: 4 }, { itemId: 'b', quantity: 4 }])).toMatchObject({ ok: true, complete: true });
    expect(checkReceipt(lines, [{ itemId: 'a', quantity: 3 }, { itemId: 'a', quantity: 2 }])).toEqual({
      ok: false, kind: 'over_receipt', index: 1, itemId: 'a', outstanding: 1,
    });
    expect(checkReceipt(lines, [{ itemId: 'b', quantity: 1 }, { itemId: 'z', quantity: 1 }])).toMatchObject({ ok: false, kind: 'unknown_line', index: 1 });
  });

  it('when statuses change by hand, then only draft → ordered and draft/ordered → cancelled are allowed', () => {
    expect([canMoveTo('draft', 'ordered'), canMoveTo('draft', 'cancelled'), canMoveTo('ordered', 'cancelled')]).toEqual([true, true, true]);
    expect([canMoveTo('ordered', 'received'), canMoveTo('partially_received', 'cancelled'), canMoveTo('cancelled', 'ordered')]).toEqual([false, false, false]);
    expect([canReceive('draft'), canReceive('ordered'), canReceive('partially_received'), canReceive('received')]).toEqual([false, true, true, false]);
    expect(formatPurchaseOrderNumber(42)).toBe('PO-000042');
  });

  it('when stats are taken, then receipts count by their garage-local day, open value is what is outstanding, cancelled orders are no supplier', () => {
    const order = (status: string, supplier: string, total: number, receivedAt?: Date) => ({
      status,
      supplier: { name: supplier },
      total,
      lines: [{ quantity: 10, quantityReceived: receivedAt ? 4 : 0, unitCost: 200 }],
      receipts: receivedAt ? [{ receivedAt, lines: [{ quantity: 4, unitCost: 200 }] }] : [],
    });
    const orders = [
      // 23:30 UTC on 28 March 2026 is 00:30 on the 29th in Amsterdam (UTC+1 until 01:00 UTC that night)
      order('partially_received', 'Alpha', 2000, new Date('2026-03-28T23:30:00Z')),
      order('ordered', 'beta ', 2000),
      order('cancelled', 'Gamma', 9000),
    ];

    const onThe29th = purchaseOrderStats(orders, { dateFrom: '2026-03-29', dateTo: '2026-03-29', timeZone: 'Europe/Amsterdam' });
    const inUtc = purchaseOrderStats(orders, { dateFrom: '2026-03-29', timeZone: 'UTC' });

    expect(onThe29th).toMatchObject({
      total: 3,
      countsByStatus: { draft: 0, ordered: 1, partially_received: 1, received: 0, cancelled: 1 },
      openValue: 6 * 200 + 10 * 200,
      receivedValue: 4 * 200,
      topSuppliers: [{ name: 'Alpha', orderCount: 1, orderedValue: 2000 }, { name: 'beta ', orderCount: 1, orderedValue: 2000 }],
    });
    expect(inUtc.receivedValue).toBe(0); // the 28th in UTC
  });
});
