import type { EventEnvelope } from '@pitlane/events';

import { itemInput, newGarage } from './factories';
import { allWrittenEventsRecorded, clientFor, startHarness, type Client, type Harness } from './helpers';

type LowStock = EventEnvelope<{ item: { id: string; quantityAvailable: number } }>;

describe('low stock', () => {
  let harness: Harness;
  let client: Client;

  beforeAll(async () => {
    harness = await startHarness(__filename);
    client = clientFor(harness, newGarage());
  });
  afterAll(() => harness.close());

  const alertsFor = (id: string) => harness.recorder.ofType('inventory.low_stock').filter((e) => (e as LowStock).data.item.id === id) as LowStock[];
  const adjust = (id: string, delta: number) =>
    client('POST', `/inventory/${id}/adjust`, { delta, reason: delta < 0 ? 'sold' : 'returned' });

  it('when stock crosses the reorder level downward, then inventory.low_stock fires once, and again only after going back above', async () => {
    const id = (await client('POST', '/inventory', itemInput({ quantityOnHand: 10, reorderLevel: 3 }))).body.data.id as string;

    for (const delta of [-6, -1, -1, -2]) await adjust(id, delta); // 4, 3 (crossing), 2, 0
    const first = await harness.recorder.next<LowStock['data']>('inventory.low_stock', (e) => e.data.item.id === id);
    expect(first.data.item.quantityAvailable).toBe(3);
    for (const delta of [5, -1, -1]) await adjust(id, delta); // 5 (re-armed), 4, 3 (crossing again)

    await harness.recorder.next<LowStock['data']>('inventory.low_stock', (e) => e.data.item.id === id && e.data.item.quantityAvailable === 3 && e.id !== first.id);
    await allWrittenEventsRecorded(harness);
    expect(alertsFor(id).map((e) => e.data.item.quantityAvailable)).toEqual([3, 3]);
    const lowList = await client('GET', '/inventory/low-stock');
    expect(lowList.body.data.map((i: { id: string }) => i.id)).toContain(id);
  });

  it('when an item is created at or below its reorder level, then it is announced as low stock at once', async () => {
    const id = (await client('POST', '/inventory', itemInput({ quantityOnHand: 1, reorderLevel: 2 }))).body.data.id as string;

    const alert = await harness.recorder.next<LowStock['data']>('inventory.low_stock', (e) => e.data.item.id === id);

    expect(alert.data.item.quantityAvailable).toBe(1);
    await adjust(id, -1);
    await allWrittenEventsRecorded(harness);
    expect(alertsFor(id)).toHaveLength(1);
  });

  it('when 20 parallel sales take an item below its level, then exactly one alert fires', async () => {
    const id = (await client('POST', '/inventory', itemInput({ quantityOnHand: 20, reorderLevel: 5 }))).body.data.id as string;

    await Promise.all(Array.from({ length: 20 }, () => adjust(id, -1)));

    await allWrittenEventsRecorded(harness);
    expect(alertsFor(id)).toHaveLength(1);
    expect(alertsFor(id)[0]!.data.item.quantityAvailable).toBe(5);
  });

  it('when the reorder level is raised above the stock, then that is a crossing too, and the item is listed as low', async () => {
    const id = (await client('POST', '/inventory', itemInput({ quantityOnHand: 6, reorderLevel: 1 }))).body.data.id as string;
    expect((await client('GET', '/inventory/low-stock?limit=100')).body.data.map((i: { id: string }) => i.id)).not.toContain(id);

    const patched = await client('PATCH', `/inventory/${id}`, { reorderLevel: 8 });

    expect(patched.body.data.lowStock).toBe(true);
    await harness.recorder.next<LowStock['data']>('inventory.low_stock', (e) => e.data.item.id === id);
    expect((await client('GET', '/inventory/low-stock?limit=100')).body.data.map((i: { id: string }) => i.id)).toContain(id);
  });
});
