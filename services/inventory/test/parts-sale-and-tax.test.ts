import { waitFor } from '@pitlane/testing';

import { itemInput, newGarage, newId } from './factories';
import { allWrittenEventsRecorded, clientFor, consumedCount, expectLedgerConsistent, startHarness, type Client, type Harness } from './helpers';

type Snapshot = { item: { id: string; taxRate?: number | null; quantityOnHand: number; quantityAvailable: number } };
type Movement = { reason: string; quantity: number; reservedQuantity: number; note: string | null; reference: Record<string, string> | null; actor: { type: string; id: string } };

describe('issue 12 for inventory: item tax rates on snapshots, and counter sales from billing', () => {
  let harness: Harness;
  let client: Client;
  const garage = newGarage();

  beforeAll(async () => {
    harness = await startHarness(__filename);
    client = clientFor(harness, garage);
  });
  afterAll(() => harness.close());

  const item = async (id: string) => (await client('GET', `/inventory/${id}`)).body.data;
  const movements = async (id: string) => (await client('GET', `/inventory/${id}/movements?sort=seq`)).body.data as Movement[];
  const snapshots = (type: string, id: string) => harness.recorder.ofType<Snapshot>(type).filter((e) => e.data.item.id === id);

  describe('taxRate', () => {
    it('when an item is created with a tax rate and later changed, then the API and every item snapshot carry it', async () => {
      const created = await client('POST', '/inventory', itemInput({ taxRate: 900 }));
      expect([created.status, created.body.data.taxRate]).toEqual([201, 900]);
      const id = created.body.data.id as string;
      const first = await harness.recorder.next<Snapshot>('inventory.item_created', (e) => e.data.item.id === id);
      expect(first.data.item.taxRate).toBe(900);

      const patched = await client('PATCH', `/inventory/${id}`, { taxRate: 2000 });
      expect([patched.status, patched.body.data.taxRate]).toEqual([200, 2000]);
      await harness.recorder.next<Snapshot>('inventory.adjusted', (e) => e.data.item.id === id && e.data.item.taxRate === 2000);

      // a stock change carries the item's rate too, and null goes back to the garage default
      expect((await client('POST', `/inventory/${id}/adjust`, { delta: 1, reason: 'correction' })).status).toBe(200);
      expect((await client('PATCH', `/inventory/${id}`, { taxRate: null })).body.data.taxRate).toBeNull();
      await harness.recorder.next<Snapshot>('inventory.adjusted', (e) => e.data.item.id === id && e.data.item.taxRate === null);
      await allWrittenEventsRecorded(harness);
      expect(snapshots('inventory.adjusted', id).map((e) => e.data.item.taxRate)).toEqual([2000, 2000, null]);
    });

    it('when an item is created without a tax rate, then it is null (the garage default) on the item and its snapshot', async () => {
      const id = (await client('POST', '/inventory', itemInput())).body.data.id as string;
      expect((await item(id)).taxRate).toBeNull();
      const event = await harness.recorder.next<Snapshot>('inventory.item_created', (e) => e.data.item.id === id);
      expect(event.data.item.taxRate).toBeNull();
    });

    it.each([[-1], [10_001], [12.5], ['2000']])('when the tax rate is %j, then the create and the change are 400 naming taxRate', async (taxRate) => {
      const created = await client('POST', '/inventory', itemInput({ taxRate }));
      expect([created.status, created.body.error?.details?.[0]?.field]).toEqual([400, 'taxRate']);
      const id = (await client('POST', '/inventory', itemInput())).body.data.id as string;
      const patched = await client('PATCH', `/inventory/${id}`, { taxRate });
      expect([patched.status, patched.body.error?.details?.[0]?.field]).toEqual([400, 'taxRate']);
    });
  });

  describe('sale.parts_sold', () => {
    const sale = (invoiceId: string, lines: { lineId: string; itemId: string; quantity: number }[]) => ({
      invoiceId,
      invoiceNumber: 'INV-2026-000042',
      customerId: 'c1',
      soldAt: new Date().toISOString(),
      lines: lines.map((line) => ({ ...line, sku: null, description: 'Part' })),
    });
    const acked = async () => (await consumedCount(harness, 'sale.parts_sold', 'handled')) + (await consumedCount(harness, 'sale.parts_sold', 'duplicate'));
    async function deliver(data: unknown, id = newId()): Promise<void> {
      const before = await acked();
      await harness.publish('sale.parts_sold', garage, data, id);
      await waitFor(async () => (await acked()) > before, { message: 'sale.parts_sold not consumed' });
    }

    it('when a sale is delivered twice and republished, then each line leaves the shelf once, as a sold movement of the invoice', async () => {
      const oil = (await client('POST', '/inventory', itemInput({ quantityOnHand: 5, reorderLevel: 0 }))).body.data.id as string;
      const filter = (await client('POST', '/inventory', itemInput({ quantityOnHand: 4, reorderLevel: 0 }))).body.data.id as string;
      const invoiceId = newId();
      const data = sale(invoiceId, [{ lineId: 'l1', itemId: oil, quantity: 2 }, { lineId: 'l2', itemId: filter, quantity: 1 }, { lineId: 'l3', itemId: oil, quantity: 1 }]);
      const eventId = newId();

      await deliver(data, eventId);
      await deliver(data, eventId);
      await deliver(data);

      expect(await item(oil)).toMatchObject({ quantityOnHand: 2, quantityReserved: 0, quantityAvailable: 2 });
      expect(await item(filter)).toMatchObject({ quantityOnHand: 3 });
      const sold = (await movements(oil)).filter((m) => m.reason === 'sold');
      expect(sold.map((m) => [m.quantity, m.reservedQuantity, m.reference?.lineId, m.reference?.invoiceId, m.actor])).toEqual([
        [-2, 0, 'l1', invoiceId, { type: 'event', id: eventId }],
        [-1, 0, 'l3', invoiceId, { type: 'event', id: eventId }],
      ]);
      await expectLedgerConsistent(client, oil);
      await harness.recorder.next<Snapshot>('inventory.adjusted', (e) => e.data.item.id === oil && e.data.item.quantityOnHand === 2);
    });

    it('when a sale takes more than is available (part of it reserved for a booking), then it is recorded in full and the shortfall shows', async () => {
      const id = (await client('POST', '/inventory', itemInput({ quantityOnHand: 3, reorderLevel: 0 }))).body.data.id as string;
      const before = await consumedCount(harness, 'booking.parts_assigned', 'handled');
      await harness.publish('booking.parts_assigned', garage, { bookingId: newId(), lineId: 'b1', itemId: id, quantity: 2 });
      await waitFor(async () => (await consumedCount(harness, 'booking.parts_assigned', 'handled')) > before, { message: 'not reserved' });

      await deliver(sale(newId(), [{ lineId: 'l1', itemId: id, quantity: 4 }]));

      expect(await item(id)).toMatchObject({ quantityOnHand: -1, quantityReserved: 2, quantityAvailable: -3, lowStock: true });
      expect((await movements(id)).at(-1)).toMatchObject({ reason: 'sold', quantity: -4, note: 'sold 3 beyond the available stock' });
      await expectLedgerConsistent(client, id);
      await harness.recorder.next<Snapshot>('inventory.low_stock', (e) => e.data.item.id === id);
    });

    it('when a line names an item the garage does not have, then it is skipped and the other lines still apply', async () => {
      const foreign = (await clientFor(harness, newGarage())('POST', '/inventory', itemInput({ quantityOnHand: 5 }))).body.data.id as string;
      const id = (await client('POST', '/inventory', itemInput({ quantityOnHand: 5 }))).body.data.id as string;

      await deliver(sale(newId(), [{ lineId: 'l1', itemId: foreign, quantity: 1 }, { lineId: 'l2', itemId: id, quantity: 1 }]));

      expect((await item(id)).quantityOnHand).toBe(4);
      expect((await harness.service.models.Item.findById(foreign).lean())?.quantityOnHand).toBe(5);
    });
  });
});
