import { waitFor } from '@pitlane/testing';

import { itemInput, newGarage } from './factories';
import { clientFor, expectLedgerConsistent, startHarness, type Client, type Harness } from './helpers';

/** The process dying between the steps of a change is simulated by making the step after the
 * committed write fail once; what is left behind must be finished, never lost or doubled. */
describe('crash recovery', () => {
  let harness: Harness;
  let client: Client;

  beforeAll(async () => {
    harness = await startHarness(__filename);
    client = clientFor(harness, newGarage());
  });
  afterAll(() => harness.close());
  afterEach(() => jest.restoreAllMocks());

  it('when the movement cannot be copied to the ledger after the stock write, then the change stands and the ledger still shows it', async () => {
    const id = (await client('POST', '/inventory', itemInput({ quantityOnHand: 8 }))).body.data.id as string;
    const copy = jest.spyOn(harness.service.context.ledger, 'copy').mockRejectedValueOnce(new Error('process died'));

    const sold = await client('POST', `/inventory/${id}/adjust`, { delta: -3, reason: 'sold' });

    expect(sold.status).toBe(200);
    await waitFor(() => copy.mock.calls.length > 0, { message: 'the copy was not attempted' });
    const ledger = await expectLedgerConsistent(client, id);
    expect(ledger.map((m) => m.quantity)).toEqual([8, -3]);
  });

  it('when a receipt stops after its first line, then the repairer puts the rest into stock exactly once, and repeating the request changes nothing', async () => {
    const first = (await client('POST', '/inventory', itemInput({ quantityOnHand: 0 }))).body.data.id as string;
    const second = (await client('POST', '/inventory', itemInput({ quantityOnHand: 1, unitCost: 100 }))).body.data.id as string;
    const po = (await client('POST', '/purchase-orders', {
      supplier: { name: 'Crashy Ltd' },
      lines: [{ itemId: first, quantity: 5, unitCost: 300 }, { itemId: second, quantity: 3, unitCost: 500 }],
    })).body.data.id as string;
    await client('POST', `/purchase-orders/${po}/status`, { status: 'ordered' });
    const writer = harness.service.context.writer;
    const write = writer.write.bind(writer);
    // the receipt's second line "dies" while the request runs: every write of that item fails until
    // the request has answered (the repairer's periodic pass may try the recorded receipt meanwhile,
    // so a one-shot failure could be spent on it instead of the request)
    jest.spyOn(writer, 'write').mockImplementation((...args) => (args[1] === second ? Promise.reject(new Error('process died')) : write(...args)));
    const body = { receiptId: 'crash-receipt-1', lines: [{ itemId: first, quantity: 5 }, { itemId: second, quantity: 3 }] };

    const crashed = await client('POST', `/purchase-orders/${po}/receive`, body);
    expect(crashed.status).toBe(500);
    jest.restoreAllMocks();

    await waitFor(async () => (await client('GET', `/inventory/${second}`)).body.data.quantityOnHand === 4, { message: 'receipt not resumed' });
    expect((await client('GET', `/inventory/${second}`)).body.data.unitCost).toBe(400); // (100 + 1500) / 4
    const again = await client('POST', `/purchase-orders/${po}/receive`, body);
    expect(again.status).toBe(200);
    expect(again.body.data.status).toBe('received');
    expect((await client('GET', `/inventory/${first}`)).body.data.quantityOnHand).toBe(5);
    expect((await client('GET', `/inventory/${second}`)).body.data.quantityOnHand).toBe(4);
    await expectLedgerConsistent(client, first);
    await expectLedgerConsistent(client, second);
  });
});
