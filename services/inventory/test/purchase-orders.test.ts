import { todayIn } from '@pitlane/core';
import type { EventEnvelope } from '@pitlane/events';

import { itemInput, newGarage } from './factories';
import { clientFor, expectLedgerConsistent, startHarness, type Client, type Harness } from './helpers';

type Received = EventEnvelope<{ purchaseOrderId: string; number: string; status: string; lines: { itemId: string; quantity: number }[] }>;

describe('purchase orders', () => {
  let harness: Harness;
  let client: Client;

  beforeAll(async () => {
    harness = await startHarness(__filename);
    client = clientFor(harness, newGarage());
  });
  afterAll(() => harness.close());

  async function newItem(overrides: Record<string, unknown> = {}): Promise<string> {
    return (await client('POST', '/inventory', itemInput(overrides))).body.data.id as string;
  }

  async function orderedPo(lines: { itemId: string; quantity: number; unitCost: number }[], c: Client = client) {
    const created = await c('POST', '/purchase-orders', { supplier: { name: 'Bosch Parts' }, lines });
    expect(created.status).toBe(201);
    expect((await c('POST', `/purchase-orders/${created.body.data.id}/status`, { status: 'ordered' })).status).toBe(200);
    return created.body.data as { id: string; number: string };
  }

  it('when purchase orders are created concurrently, then they are numbered PO-000001… per garage without gaps', async () => {
    const g = clientFor(harness, newGarage());
    const itemId = (await g('POST', '/inventory', itemInput())).body.data.id as string;

    const created = await Promise.all(
      Array.from({ length: 8 }, () => g('POST', '/purchase-orders', { supplier: { name: 'S' }, lines: [{ itemId, quantity: 1, unitCost: 100 }] })),
    );

    expect(created.map((r) => r.body.data.number).sort()).toEqual(Array.from({ length: 8 }, (_, i) => `PO-00000${i + 1}`));
    const otherGarage = clientFor(harness, newGarage());
    const otherItem = (await otherGarage('POST', '/inventory', itemInput())).body.data.id as string;
    const first = await otherGarage('POST', '/purchase-orders', { supplier: { name: 'S' }, lines: [{ itemId: otherItem, quantity: 1, unitCost: 1 }] });
    expect(first.body.data.number).toBe('PO-000001');
    expect((await otherGarage('GET', `/purchase-orders/${created[0]!.body.data.id}`)).status).toBe(404);
  });

  it('when an order is received in parts, then receipts accumulate, stock comes in at weighted-average cost with ledger movements, and over-receipt is refused', async () => {
    const filter = await newItem({ quantityOnHand: 10, unitCost: 500 });
    const pads = await newItem({ quantityOnHand: 0, unitCost: 0 });
    const po = await orderedPo([
      { itemId: filter, quantity: 10, unitCost: 800 },
      { itemId: pads, quantity: 4, unitCost: 2500 },
    ]);

    const partial = await client('POST', `/purchase-orders/${po.id}/receive`, { lines: [{ itemId: filter, quantity: 6 }] });
    expect(partial.status).toBe(200);
    expect(partial.body.data.status).toBe('partially_received');
    expect((await client('GET', `/inventory/${filter}`)).body.data).toMatchObject({ quantityOnHand: 16, unitCost: 613 }); // 9800/16 = 612.5 → 613

    const over = await client('POST', `/purchase-orders/${po.id}/receive`, { lines: [{ itemId: filter, quantity: 5 }] });
    expect(over.status).toBe(409);
    expect(over.body.error).toMatchObject({ code: 'RECEIPT_EXCEEDS_ORDER', details: { itemId: filter, outstanding: 4 } });
    expect((await client('GET', `/inventory/${filter}`)).body.data.quantityOnHand).toBe(16);

    const rest = await client('POST', `/purchase-orders/${po.id}/receive`, {
      lines: [{ itemId: filter, quantity: 4, unitCost: 900 }, { itemId: pads, quantity: 4 }],
    });
    expect(rest.body.data.status).toBe('received');
    expect(rest.body.data.lines.map((l: { quantityReceived: number }) => l.quantityReceived)).toEqual([10, 4]);
    expect((await client('GET', `/inventory/${filter}`)).body.data).toMatchObject({ quantityOnHand: 20, unitCost: 670 }); // (16×613 + 3600)/20 = 670.4
    expect((await client('GET', `/inventory/${pads}`)).body.data).toMatchObject({ quantityOnHand: 4, unitCost: 2500 });
    const movements = await expectLedgerConsistent(client, filter);
    expect(movements.slice(1).map((m) => (m as unknown as { reason: string }).reason)).toEqual(['purchase_receipt', 'purchase_receipt']);

    const events = await harness.recorder.next<Received['data']>('purchase_order.received', (e) => e.data.purchaseOrderId === po.id && e.data.status === 'received');
    expect(events.data).toMatchObject({ number: po.number, lines: [{ itemId: filter, quantity: 4 }, { itemId: pads, quantity: 4 }] });
    expect((await client('POST', `/purchase-orders/${po.id}/receive`, { lines: [{ itemId: pads, quantity: 1 }] })).status).toBe(409);
  });

  it('when the same receipt is sent twice with its receiptId, then the goods come in once', async () => {
    const itemId = await newItem({ quantityOnHand: 0 });
    const po = await orderedPo([{ itemId, quantity: 10, unitCost: 100 }]);
    const body = { receiptId: 'delivery-note-4711', lines: [{ itemId, quantity: 3 }] };

    const replies = await Promise.all([client('POST', `/purchase-orders/${po.id}/receive`, body), client('POST', `/purchase-orders/${po.id}/receive`, body)]);

    expect(replies.map((r) => r.status)).toEqual([200, 200]);
    expect((await client('GET', `/inventory/${itemId}`)).body.data.quantityOnHand).toBe(3);
    expect((await client('GET', `/purchase-orders/${po.id}`)).body.data.receipts).toHaveLength(1);
    const reused = await client('POST', `/purchase-orders/${po.id}/receive`, { ...body, lines: [{ itemId, quantity: 4 }] });
    expect(reused.status).toBe(409);
    expect(reused.body.error?.code).toBe('DUPLICATE_RESOURCE');
  });

  it('when two receipts race for the last outstanding units, then one is accepted and the other refused', async () => {
    const itemId = await newItem({ quantityOnHand: 0 });
    const po = await orderedPo([{ itemId, quantity: 10, unitCost: 100 }]);

    const replies = await Promise.all([6, 6].map((quantity) => client('POST', `/purchase-orders/${po.id}/receive`, { lines: [{ itemId, quantity }] })));

    expect(replies.map((r) => r.status).sort()).toEqual([200, 409]);
    expect((await client('GET', `/inventory/${itemId}`)).body.data.quantityOnHand).toBe(6);
    expect((await client('GET', `/purchase-orders/${po.id}`)).body.data.lines[0].quantityReceived).toBe(6);
  });

  it('when statuses change, then draft → ordered → cancelled is allowed and everything else is 409 INVALID_STATUS_TRANSITION', async () => {
    const itemId = await newItem();
    const draft = (await client('POST', '/purchase-orders', { supplier: { name: 'X' }, lines: [{ itemId, quantity: 2, unitCost: 10 }] })).body.data;
    expect(draft.status).toBe('draft');

    expect((await client('POST', `/purchase-orders/${draft.id}/receive`, { lines: [{ itemId, quantity: 1 }] })).status).toBe(409);
    expect((await client('POST', `/purchase-orders/${draft.id}/status`, { status: 'received' })).body.error?.code).toBe('INVALID_STATUS_TRANSITION');
    expect((await client('POST', `/purchase-orders/${draft.id}/status`, { status: 'ordered' })).body.data.status).toBe('ordered');
    expect((await client('POST', `/purchase-orders/${draft.id}/status`, { status: 'cancelled' })).body.data.status).toBe('cancelled');
    expect((await client('POST', `/purchase-orders/${draft.id}/status`, { status: 'ordered' })).status).toBe(409);
    expect((await client('POST', `/purchase-orders/${draft.id}/status`, { status: 'lost' })).status).toBe(400);
    expect((await client('POST', '/purchase-orders/nope/status', { status: 'ordered' })).status).toBe(404);

    const partly = await orderedPo([{ itemId, quantity: 2, unitCost: 10 }]);
    await client('POST', `/purchase-orders/${partly.id}/receive`, { lines: [{ itemId, quantity: 1 }] });
    expect((await client('POST', `/purchase-orders/${partly.id}/status`, { status: 'cancelled' })).status).toBe(409);
  });

  it('when the body is invalid, then 400: unknown items, duplicate lines, lines not on the order', async () => {
    const itemId = await newItem();
    const unknown = await client('POST', '/purchase-orders', { supplier: { name: 'X' }, lines: [{ itemId: 'nope', quantity: 1, unitCost: 1 }] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error?.details).toEqual([{ field: 'lines.0.itemId', message: 'no such item in this garage' }]);
    const twice = await client('POST', '/purchase-orders', { supplier: { name: 'X' }, lines: [{ itemId, quantity: 1, unitCost: 1 }, { itemId, quantity: 1, unitCost: 1 }] });
    expect(twice.status).toBe(400);
    const po = await orderedPo([{ itemId, quantity: 1, unitCost: 1 }]);
    const other = await newItem();
    const notOnOrder = await client('POST', `/purchase-orders/${po.id}/receive`, { lines: [{ itemId: other, quantity: 1 }] });
    expect(notOnOrder.status).toBe(400);
  });

  it('when stats are asked, then counts by status, open value, received value in the range and top suppliers add up', async () => {
    const g = clientFor(harness, newGarage());
    const itemId = (await g('POST', '/inventory', itemInput({ quantityOnHand: 0 }))).body.data.id as string;
    const create = (supplier: string, quantity: number, unitCost: number) =>
      g('POST', '/purchase-orders', { supplier: { name: supplier }, lines: [{ itemId, quantity, unitCost }] });
    await create('Draft Co', 1, 100);
    const a = (await create('Alpha', 10, 200)).body.data.id;
    const b = (await create('Beta', 5, 1000)).body.data.id;
    const c = (await create('Alpha', 2, 50)).body.data.id;
    for (const id of [a, b, c]) await g('POST', `/purchase-orders/${id}/status`, { status: 'ordered' });
    await g('POST', `/purchase-orders/${c}/status`, { status: 'cancelled' });
    await g('POST', `/purchase-orders/${a}/receive`, { lines: [{ itemId, quantity: 4 }] });

    const today = todayIn('Europe/Amsterdam');
    const stats = await g('GET', `/purchase-orders/stats?dateFrom=${today}&dateTo=${today}`);
    expect(stats.body.data).toMatchObject({
      total: 4,
      countsByStatus: { draft: 1, ordered: 1, partially_received: 1, received: 0, cancelled: 1 },
      openValue: 6 * 200 + 5 * 1000,
      receivedValue: 4 * 200,
      topSuppliers: [
        { name: 'Beta', orderCount: 1, orderedValue: 5000 },
        { name: 'Alpha', orderCount: 1, orderedValue: 2000 },
        { name: 'Draft Co', orderCount: 1, orderedValue: 100 },
      ],
      currency: 'EUR',
    });
    const before = await g('GET', '/purchase-orders/stats?dateTo=2020-01-01');
    expect(before.body.data.receivedValue).toBe(0);
    const list = await g('GET', '/purchase-orders?status=ordered&sort=number');
    expect(list.body.data.map((o: { id: string }) => o.id)).toEqual([b]);
  });
});
