import type { EventEnvelope } from '@pitlane/events';

import { itemInput, newGarage } from './factories';
import { clientFor, startHarness, type Client, type Harness } from './helpers';

describe('inventory items', () => {
  let harness: Harness;
  let client: Client;
  const garage = newGarage({ currency: 'AED' });

  beforeAll(async () => {
    harness = await startHarness(__filename);
    client = clientFor(harness, garage);
  });
  afterAll(() => harness.close());

  it('when an item is created, then it comes back with its quantities and the garage currency, and inventory.item_created is published', async () => {
    const created = await client('POST', '/inventory', itemInput({ sku: 'OF-100', quantityOnHand: 12, reorderLevel: 3 }));

    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({
      sku: 'OF-100',
      currency: 'AED',
      quantityOnHand: 12,
      quantityReserved: 0,
      quantityAvailable: 12,
      unitCost: 700,
      lowStock: false,
    });
    const id = created.body.data.id as string;
    expect((await client('GET', `/inventory/${id}`)).body.data).toEqual(created.body.data);
    const event = await harness.recorder.next<{ item: { id: string } }>('inventory.item_created', (e) => e.data.item.id === id);
    expect(event).toMatchObject({ garageId: garage.id, organisationId: garage.organisationId });
    expect(event.data.item).toEqual({
      id, sku: 'OF-100', name: created.body.data.name, unitPrice: 1250, currency: 'AED',
      quantityOnHand: 12, quantityReserved: 0, quantityAvailable: 12, reorderLevel: 3, taxRate: null,
    });
  });

  it('when the body is invalid, then 400 lists every problem', async () => {
    const reply = await client('POST', '/inventory', { sku: '', unitPrice: 12.5, quantityOnHand: -1, colour: 'red' });

    expect(reply.status).toBe(400);
    expect(reply.body.error?.code).toBe('VALIDATION_FAILED');
    const fields = reply.body.error?.details?.map((d) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['sku', 'name', 'unitPrice', 'quantityOnHand']));
  });

  it('when a sku or a barcode is already used in the garage, then 409 DUPLICATE_RESOURCE, also on PATCH', async () => {
    const first = await client('POST', '/inventory', itemInput({ sku: 'DUP-1', barcode: 'SHELF-0001' }));
    expect(first.status).toBe(201);

    const sameSku = await client('POST', '/inventory', itemInput({ sku: 'dup-1' }));
    const sameBarcode = await client('POST', '/inventory', itemInput({ barcode: 'SHELF-0001' }));
    const other = await client('POST', '/inventory', itemInput({ sku: 'DUP-2' }));
    const patched = await client('PATCH', `/inventory/${other.body.data.id}`, { barcode: 'SHELF-0001' });

    expect([sameSku.status, sameBarcode.status, patched.status]).toEqual([409, 409, 409]);
    expect(sameSku.body.error).toMatchObject({ code: 'DUPLICATE_RESOURCE', details: [{ field: 'sku' }] });
    expect(sameBarcode.body.error).toMatchObject({ code: 'DUPLICATE_RESOURCE', details: [{ field: 'barcode' }] });
    expect(patched.body.error?.code).toBe('DUPLICATE_RESOURCE');
  });

  it('when another garage uses the same sku and barcode, then that is allowed and neither sees the other', async () => {
    const other = clientFor(harness, newGarage());
    const mine = await client('POST', '/inventory', itemInput({ sku: 'SHARED-1', barcode: 'SHARED-CODE' }));
    const theirs = await other('POST', '/inventory', itemInput({ sku: 'SHARED-1', barcode: 'SHARED-CODE' }));
    expect([mine.status, theirs.status]).toEqual([201, 201]);

    expect((await other('GET', `/inventory/${mine.body.data.id}`)).status).toBe(404);
    expect((await other('PATCH', `/inventory/${mine.body.data.id}`, { name: 'x' })).status).toBe(404);
    expect((await other('POST', `/inventory/${mine.body.data.id}/adjust`, { delta: -1, reason: 'sold' })).status).toBe(404);
    expect((await other('GET', `/inventory/${mine.body.data.id}/movements`)).status).toBe(404);
    const list = await other('GET', '/inventory?limit=100');
    expect(list.body.data.map((i: { id: string }) => i.id)).toEqual([theirs.body.data.id]);
    expect((await other('GET', '/inventory/barcode/SHARED-CODE')).body.data.id).toBe(theirs.body.data.id);
  });

  it('when items are listed, then category, q (taken literally, any case), lowStock, sort and pagination apply', async () => {
    const g = clientFor(harness, newGarage());
    await g('POST', '/inventory', itemInput({ name: 'Brake pad (front)', category: 'Brakes', quantityOnHand: 1, reorderLevel: 2 }));
    await g('POST', '/inventory', itemInput({ name: 'Brake disc', category: 'Brakes', quantityOnHand: 9 }));
    await g('POST', '/inventory', itemInput({ name: 'Wiper blade', category: 'Body', quantityOnHand: 4 }));

    const brakes = await g('GET', '/inventory?category=Brakes&sort=-name');
    expect(brakes.body.data.map((i: { name: string }) => i.name)).toEqual(['Brake pad (front)', 'Brake disc']);
    const literal = await g('GET', `/inventory?q=${encodeURIComponent('PAD (F')}`);
    expect(literal.body.data.map((i: { name: string }) => i.name)).toEqual(['Brake pad (front)']);
    expect((await g('GET', '/inventory?q=.*')).body.data).toEqual([]);
    const low = await g('GET', '/inventory?lowStock=true');
    expect(low.body.data.map((i: { name: string }) => i.name)).toEqual(['Brake pad (front)']);
    const page2 = await g('GET', '/inventory?sort=quantityOnHand&limit=2&page=2');
    expect(page2.body.pagination).toEqual({ page: 2, limit: 2, total: 3, totalPages: 2, hasMore: false });
    expect(page2.body.data.map((i: { quantityOnHand: number }) => i.quantityOnHand)).toEqual([9]);
    expect((await g('GET', '/inventory?sort=secret')).status).toBe(400);
    expect((await g('GET', '/inventory?limit=101')).status).toBe(400);
  });

  it('when an item is patched, then its fields change and inventory.adjusted carries the new snapshot', async () => {
    const created = await client('POST', '/inventory', itemInput());
    const id = created.body.data.id as string;

    const patched = await client('PATCH', `/inventory/${id}`, { name: 'Renamed', unitPrice: 1999, location: 'A-3' });
    expect(patched.status).toBe(200);
    expect(patched.body.data).toMatchObject({ name: 'Renamed', unitPrice: 1999, location: 'A-3', quantityOnHand: 10 });
    const event = await harness.recorder.next<{ item: { id: string; unitPrice: number }; movement: unknown }>(
      'inventory.adjusted',
      (e: EventEnvelope<{ item: { id: string; unitPrice: number }; movement: unknown }>) => e.data.item.id === id,
    );
    expect(event.data).toMatchObject({ item: { name: 'Renamed', unitPrice: 1999 }, movement: null });
    expect((await client('PATCH', `/inventory/${id}`, { quantityOnHand: 99 })).status).toBe(400);
    expect((await client('PATCH', '/inventory/nope', { name: 'x' })).status).toBe(404);
  });

  it('when a read-only key writes, then 403', async () => {
    const readOnly = clientFor(harness, garage, 'read');
    expect((await readOnly('POST', '/inventory', itemInput())).status).toBe(403);
    expect((await readOnly('GET', '/inventory')).status).toBe(200);
  });

  it('when categories and stats are asked, then counts and stock value at cost add up', async () => {
    const g = clientFor(harness, newGarage());
    await g('POST', '/inventory', itemInput({ category: 'Oils', quantityOnHand: 3, unitCost: 1000, reorderLevel: 5 }));
    await g('POST', '/inventory', itemInput({ category: 'Oils', quantityOnHand: 2, unitCost: 250, reorderLevel: 0 }));
    await g('POST', '/inventory', itemInput({ category: null, quantityOnHand: 0, unitCost: 400, reorderLevel: 0 }));

    const categories = await g('GET', '/inventory/categories');
    expect(categories.body.pagination).toEqual({ page: 1, limit: 20, total: 2, totalPages: 1, hasMore: false });
    expect((await g('GET', '/inventory/categories?limit=1&page=2')).body.data).toEqual([{ category: null, itemCount: 1, units: 0, stockValue: 0 }]);
    expect(categories.body.data).toEqual([
      { category: 'Oils', itemCount: 2, units: 5, stockValue: 3500 },
      { category: null, itemCount: 1, units: 0, stockValue: 0 },
    ]);
    const stats = await g('GET', '/inventory/stats');
    expect(stats.body.data).toEqual({
      itemCount: 3, totalUnits: 5, reservedUnits: 0, stockValue: 3500, lowStockCount: 2, outOfStockCount: 1, currency: 'EUR',
    });
  });

  it('when items are synced with updatedSince, then only items created or changed since come back; an unknown parameter is a 400 naming it', async () => {
    const g = clientFor(harness, newGarage());
    const old = (await g('POST', '/inventory', itemInput({ sku: 'SYNC-OLD' }))).body.data.id as string;
    await new Promise((resolve) => setTimeout(resolve, 20));
    const since = encodeURIComponent(new Date().toISOString());
    await new Promise((resolve) => setTimeout(resolve, 20));
    const fresh = (await g('POST', '/inventory', itemInput({ sku: 'SYNC-NEW' }))).body.data.id as string;
    const ids = async (query: string) => ((await g('GET', `/inventory?sort=sku&${query}`)).body.data as { id: string }[]).map((i) => i.id);

    expect(await ids(`updatedSince=${since}`)).toEqual([fresh]);
    expect(await ids(`createdTo=${since}`)).toEqual([old]);
    await g('PATCH', `/inventory/${old}`, { name: 'Renamed' });
    expect(await ids(`updatedSince=${since}`)).toEqual([fresh, old]);
    expect(await ids(`updatedSince=${since}&q=SYNC-OLD`)).toEqual([old]);

    const unknown = await g('GET', '/inventory?categry=Oils');
    expect([unknown.status, unknown.body.error?.code, unknown.body.error?.details?.[0]?.field]).toEqual([400, 'VALIDATION_FAILED', 'categry']);
    expect((await g('GET', '/inventory/categories?updatedSince=2026-01-01')).body.error?.details?.[0]?.field).toBe('updatedSince');
  });
});
