import { serviceEnv } from '@pitlane/testing';

import { readConfig } from '../src/config';
import { startInventory, type InventoryService } from '../src/service';
import { itemInput, newGarage } from './factories';
import { clientFor, expectLedgerConsistent, startHarness, type Harness } from './helpers';

/** Two instances on one database: the in-process queue cannot help here, only the compare-and-set. */
describe('two inventory instances', () => {
  let harness: Harness;
  let second: InventoryService;
  const garage = newGarage();

  beforeAll(async () => {
    harness = await startHarness(__filename);
    second = await startInventory(readConfig(serviceEnv(harness.names, 'inventory')), {
      queue: `${harness.names.queuePrefix}inventory`,
      relayPollIntervalMs: 50,
    });
  });
  afterAll(async () => {
    await second.close();
    await harness.close();
  });

  it('when both instances take stock from the same item at once, then no update is lost and none goes below zero', async () => {
    const one = clientFor(harness, garage);
    const two = clientFor({ ...harness, service: second }, garage);
    const id = (await one('POST', '/inventory', itemInput({ quantityOnHand: 60, reorderLevel: 0 }))).body.data.id as string;

    const replies = await Promise.all(
      Array.from({ length: 80 }, (_, i) => (i % 2 ? one : two)('POST', `/inventory/${id}/adjust`, { delta: -1, reason: 'sold' })),
    );

    expect(replies.filter((r) => r.status === 200).length).toBe(60);
    expect(replies.filter((r) => r.body.error?.code === 'INSUFFICIENT_STOCK').length).toBe(20);
    expect((await two('GET', `/inventory/${id}`)).body.data.quantityOnHand).toBe(0);
    expect(await expectLedgerConsistent(one, id)).toHaveLength(61);
  });

  it('when one instance refills an item the other just emptied, then the other sells from the refill at once', async () => {
    const one = clientFor(harness, garage);
    const two = clientFor({ ...harness, service: second }, garage);
    const id = (await one('POST', '/inventory', itemInput({ quantityOnHand: 2, reorderLevel: 0 }))).body.data.id as string;

    expect((await one('POST', `/inventory/${id}/adjust`, { delta: -2, reason: 'sold' })).status).toBe(200);
    expect((await two('POST', `/inventory/${id}/adjust`, { delta: 5, reason: 'correction' })).status).toBe(200);
    // the first instance last wrote 0 on hand: the sale is decided on the stored 5, not on that
    const sale = await one('POST', `/inventory/${id}/adjust`, { delta: -3, reason: 'sold' });

    expect(sale.status).toBe(200);
    expect(sale.body.data.item.quantityOnHand).toBe(2);
    expect(await expectLedgerConsistent(one, id)).toHaveLength(4);
  });
});
