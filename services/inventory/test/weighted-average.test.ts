import { weightedAverageCost } from '../src/domain/weighted-average';
import { itemInput, newGarage } from './factories';
import { clientFor, expectLedgerConsistent, startHarness, type Client, type Harness } from './helpers';

describe('weighted-average cost', () => {
  // the hand-computed rounding cases are unit tests: test/unit/weighted-average.test.ts
  describe('through the API', () => {
    let harness: Harness;
    let client: Client;

    beforeAll(async () => {
      harness = await startHarness(__filename);
      client = clientFor(harness, newGarage());
    });
    afterAll(() => harness.close());

    it('when several receipts arrive with sales in between, then the cost follows the documented rounding', async () => {
      const id = (await client('POST', '/inventory', itemInput({ quantityOnHand: 10, unitCost: 500 }))).body.data.id as string;
      const steps: [Record<string, unknown>, number][] = [
        [{ delta: 5, reason: 'received', unitCost: 800 }, 600], // 9000 / 15
        [{ delta: 3, reason: 'received', unitCost: 601 }, 600], // 10803 / 18 = 600.17
        [{ delta: -8, reason: 'sold' }, 600], // sales do not change the average
        [{ delta: 10, reason: 'received', unitCost: 1001 }, 801], // 16010 / 20 = 800.5 → half up
        [{ delta: 2, reason: 'returned' }, 801], // returns go back at the current cost
      ];
      for (const [body, expected] of steps) {
        const reply = await client('POST', `/inventory/${id}/adjust`, body);
        expect(reply.status).toBe(200);
        expect(reply.body.data.item.unitCost).toBe(expected);
      }
    });

    it('when receipts at different costs race, then the final cost is exactly the replay of the ledger in order', async () => {
      const id = (await client('POST', '/inventory', itemInput({ quantityOnHand: 4, unitCost: 1000 }))).body.data.id as string;
      const receipts = Array.from({ length: 20 }, (_, i) => ({ delta: 1 + (i % 4), reason: 'received', unitCost: 700 + 37 * i }));

      await Promise.all(receipts.map((body) => client('POST', `/inventory/${id}/adjust`, body)));

      const ledger = (await expectLedgerConsistent(client, id)) as unknown as { quantity: number; unitCost: number; quantityOnHand: number }[];
      let cost = 1000;
      for (const movement of ledger.slice(1)) cost = weightedAverageCost(movement.quantityOnHand - movement.quantity, cost, movement.quantity, movement.unitCost);
      const item = (await client('GET', `/inventory/${id}`)).body.data;
      expect(item.quantityOnHand).toBe(4 + receipts.reduce((sum, r) => sum + r.delta, 0));
      expect(item.unitCost).toBe(cost);
    });
  });
});
