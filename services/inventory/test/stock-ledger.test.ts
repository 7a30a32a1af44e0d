import { waitFor } from '@pitlane/testing';

import { itemInput, newGarage } from './factories';
import { clientFor, expectLedgerConsistent, startHarness, type Client, type Harness } from './helpers';

describe('stock ledger', () => {
  let harness: Harness;
  let client: Client;
  const garage = newGarage();

  beforeAll(async () => {
    harness = await startHarness(__filename);
    client = clientFor(harness, garage);
  });
  afterAll(() => harness.close());

  async function newItem(overrides: Record<string, unknown> = {}): Promise<string> {
    const created = await client('POST', '/inventory', itemInput(overrides));
    expect(created.status).toBe(201);
    return created.body.data.id as string;
  }

  it('when stock is adjusted, then the reply carries the movement with reason, resulting on-hand, cost and actor', async () => {
    const id = await newItem({ quantityOnHand: 5, unitCost: 300 });

    const sold = await client('POST', `/inventory/${id}/adjust`, { delta: -2, reason: 'sold', note: 'counter sale' });

    expect(sold.status).toBe(200);
    expect(sold.body.data.item).toMatchObject({ quantityOnHand: 3, quantityAvailable: 3 });
    expect(sold.body.data.movement).toMatchObject({
      itemId: id, seq: 2, reason: 'sold', quantity: -2, reservedQuantity: 0, quantityOnHand: 3,
      unitCost: 300, actor: { type: 'api_key', id: garage.keyId }, note: 'counter sale',
    });
    const event = await harness.recorder.next<{ item: { id: string }; movement: { id: string } | null }>(
      'inventory.adjusted',
      (e) => e.data.movement?.id === sold.body.data.movement.id,
    );
    expect(event.data).toMatchObject({ item: { id, quantityOnHand: 3 }, movement: { reason: 'sold', quantity: -2 } });
    const ledger = await client('GET', `/inventory/${id}/movements`);
    expect(ledger.body.data.map((m: { reason: string }) => m.reason)).toEqual(['sold', 'opening_balance']);
  });

  it('when an adjustment would take stock below zero, then 409 INSUFFICIENT_STOCK and nothing changes', async () => {
    const id = await newItem({ quantityOnHand: 2 });

    const refused = await client('POST', `/inventory/${id}/adjust`, { delta: -3, reason: 'damaged' });

    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'INSUFFICIENT_STOCK', details: { quantityAvailable: 2, requested: 3 } });
    expect((await client('GET', `/inventory/${id}`)).body.data.quantityOnHand).toBe(2);
    expect(await expectLedgerConsistent(client, id)).toHaveLength(1);
  });

  it('when the adjustment contradicts its reason or is malformed, then 400 with details', async () => {
    const id = await newItem();
    const wrongSign = await client('POST', `/inventory/${id}/adjust`, { delta: 3, reason: 'sold' });
    const costOnSale = await client('POST', `/inventory/${id}/adjust`, { delta: -1, reason: 'correction', unitCost: 5 });
    const zero = await client('POST', `/inventory/${id}/adjust`, { delta: 0, reason: 'correction' });
    const unknownReason = await client('POST', `/inventory/${id}/adjust`, { delta: 1, reason: 'found' });

    expect([wrongSign.status, costOnSale.status, zero.status, unknownReason.status]).toEqual([400, 400, 400, 400]);
    expect(wrongSign.body.error?.details).toEqual([{ field: 'delta', message: 'must be negative for sold' }]);
    expect((await client('POST', '/inventory/missing/adjust', { delta: 1, reason: 'correction' })).status).toBe(404);
  });

  it('when 200 adjustments of -1 race on an item with 150 on hand, then exactly 0 are left, 50 are refused and 150 movements are recorded', async () => {
    const id = await newItem({ quantityOnHand: 150, reorderLevel: 0 });

    const replies = await Promise.all(
      Array.from({ length: 200 }, () => client('POST', `/inventory/${id}/adjust`, { delta: -1, reason: 'sold' })),
    );

    const statuses = replies.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(150);
    expect(replies.filter((r) => r.status === 409 && r.body.error?.code === 'INSUFFICIENT_STOCK').length).toBe(50);
    expect((await client('GET', `/inventory/${id}`)).body.data.quantityOnHand).toBe(0);
    const ledger = await expectLedgerConsistent(client, id);
    expect(ledger.filter((m) => m.quantity === -1)).toHaveLength(150);
  });

  it('when parallel adjustments are written together, then each event still carries the request id of its own request', async () => {
    const id = await newItem({ quantityOnHand: 50 });

    const replies = await Promise.all(
      Array.from({ length: 10 }, (_, i) => client('POST', `/inventory/${id}/adjust`, { delta: -1, reason: 'sold' }, { 'x-request-id': `req-${i}` })),
    );

    for (const [i, reply] of replies.entries()) {
      const event = await harness.recorder.next<{ movement: { id: string } | null }>('inventory.adjusted', (e) => e.data.movement?.id === reply.body.data.movement.id);
      expect(event.requestId).toBe(`req-${i}`);
    }
  });

  it('when a random mix of adjustments, receipts, reservations and releases runs, then quantities always equal the sum of the movements', async () => {
    const id = await newItem({ quantityOnHand: 20, reorderLevel: 5 });
    let seed = 42;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const reasons = ['sold', 'damaged', 'received', 'returned', 'correction'] as const;
    const bookings = ['b1', 'b2', 'b3', 'b4', 'b5', 'b6'];
    const operations: Promise<unknown>[] = bookings.map((bookingId) =>
      harness.publish('booking.parts_assigned', garage, { bookingId, lineId: 'l1', itemId: id, quantity: 1 + Math.floor(random() * 4) }),
    );
    for (let i = 0; i < 60; i++) {
      const reason = reasons[Math.floor(random() * reasons.length)]!;
      const size = 1 + Math.floor(random() * 6);
      const delta = reason === 'sold' || reason === 'damaged' || (reason === 'correction' && random() < 0.5) ? -size : size;
      operations.push(client('POST', `/inventory/${id}/adjust`, { delta, reason, ...(reason === 'received' ? { unitCost: 500 + i } : {}) }));
    }
    await Promise.all(operations);
    const outcome = (type: string) =>
      harness.recorder.ofType<{ bookingId: string; itemId: string }>(type).filter((e) => e.data.itemId === id);
    await waitFor(() => outcome('inventory.reserved').length + outcome('inventory.reservation_failed').length === bookings.length);
    const reserved = outcome('inventory.reserved').map((e) => e.data.bookingId);
    const toCancel = reserved.slice(0, 2);
    await Promise.all(toCancel.map((bookingId) => harness.publish('booking.cancelled', garage, bookingEnded(bookingId))));
    await waitFor(async () => {
      const releases = await client('GET', `/inventory/${id}/movements?reason=released`);
      return releases.body.pagination?.total === toCancel.length;
    });

    const ledger = await expectLedgerConsistent(client, id);
    expect(ledger.length).toBeGreaterThan(40);
    const item = (await client('GET', `/inventory/${id}`)).body.data;
    expect(item.quantityAvailable).toBeGreaterThanOrEqual(0);
    expect(item.quantityReserved).toBe(ledger.reduce((sum, m) => sum + m.reservedQuantity, 0));
  });

  it('when movements are listed, then they are paginated newest first and filterable by reason', async () => {
    const id = await newItem({ quantityOnHand: 10 });
    for (let i = 0; i < 4; i++) await client('POST', `/inventory/${id}/adjust`, { delta: -1, reason: i % 2 ? 'sold' : 'damaged' });

    const page = await client('GET', `/inventory/${id}/movements?limit=2&page=1`);
    expect(page.body.data.map((m: { seq: number }) => m.seq)).toEqual([5, 4]);
    expect(page.body.pagination).toMatchObject({ total: 5, totalPages: 3, hasMore: true });
    const damaged = await client('GET', `/inventory/${id}/movements?reason=damaged`);
    expect(damaged.body.data.map((m: { seq: number }) => m.seq)).toEqual([4, 2]);
  });
});

function bookingEnded(bookingId: string) {
  return {
    booking: {
      bookingId, number: 'BK-1', customerId: 'c1', vehicleId: 'v1', date: '2026-11-25', timeslot: null,
      status: 'cancelled', technicianId: null,
    },
    reason: null,
  };
}
