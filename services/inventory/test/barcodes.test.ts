import { itemInput, newGarage } from './factories';
import { clientFor, startHarness, type Client, type Harness } from './helpers';

describe('barcodes', () => {
  let harness: Harness;
  let client: Client;

  beforeAll(async () => {
    harness = await startHarness(__filename);
    client = clientFor(harness, newGarage());
  });
  afterAll(() => harness.close());

  const scan = (code: string) => client('GET', `/inventory/barcode/${encodeURIComponent(code)}`);

  it('when an item is registered by its UPC-A, then scanning its EAN-13 or GTIN-14 finds it, and the code is kept as given', async () => {
    const created = await client('POST', '/inventory', itemInput({ barcode: '036000291452' }));
    expect(created.body.data).toMatchObject({ barcode: '036000291452', barcodeFormat: 'gtin12' });

    for (const code of ['036000291452', '0036000291452', '00036000291452']) {
      const found = await scan(code);
      expect({ code, status: found.status, id: found.body.data?.id }).toEqual({ code, status: 200, id: created.body.data.id });
    }
  });

  it('when an item is registered by its EAN-13, then scanning the UPC-A finds it, and registering that UPC-A again is a duplicate', async () => {
    const created = await client('POST', '/inventory', itemInput({ barcode: '0012345678905' }));
    expect(created.body.data.barcodeFormat).toBe('gtin13');

    expect((await scan('012345678905')).body.data.id).toBe(created.body.data.id);
    const again = await client('POST', '/inventory', itemInput({ barcode: '012345678905' }));
    expect(again.status).toBe(409);
    expect(again.body.error?.code).toBe('DUPLICATE_RESOURCE');
  });

  it('when a code fails the GTIN check digit (the seed 6291041500123), then it is stored and found as a plain code only', async () => {
    const created = await client('POST', '/inventory', itemInput({ barcode: '6291041500123' }));
    expect(created.status).toBe(201);
    expect(created.body.data.barcodeFormat).toBe('other');

    expect((await scan('6291041500123')).body.data.id).toBe(created.body.data.id);
    expect((await scan('06291041500123')).status).toBe(404);
  });

  it('when a shop prints its own Code 128 label, then the code is matched exactly as given', async () => {
    const created = await client('POST', '/inventory', itemInput({ barcode: 'BAY 3/Shelf-A1' }));
    expect(created.body.data).toMatchObject({ barcode: 'BAY 3/Shelf-A1', barcodeFormat: 'other' });
    const gtin8 = await client('POST', '/inventory', itemInput({ barcode: '96385074' }));
    expect(gtin8.body.data.barcodeFormat).toBe('gtin8');

    expect((await scan('BAY 3/Shelf-A1')).body.data.id).toBe(created.body.data.id);
    expect((await scan('bay 3/shelf-a1')).status).toBe(404);
    expect((await scan('00000096385074')).body.data.id).toBe(gtin8.body.data.id);
  });

  it('when a code is unknown, then 404; when it is unprintable or longer than 48 characters, then 400 INVALID_BARCODE', async () => {
    const unknown = await scan('4006381333931');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error?.code).toBe('RESOURCE_NOT_FOUND');

    for (const code of ['A'.repeat(49), 'caf\u00e9']) {
      const reply = await scan(code);
      expect({ code, status: reply.status, error: reply.body.error?.code }).toEqual({ code, status: 400, error: 'INVALID_BARCODE' });
    }
    // a control character in a path never reaches the route: every service refuses it at the edge
    const unprintable = await scan('AB\u0001C');
    expect({ status: unprintable.status, error: unprintable.body.error?.code }).toEqual({ status: 400, error: 'MALFORMED_REQUEST' });
    const badCreate = await client('POST', '/inventory', itemInput({ barcode: 'tab\there' }));
    expect(badCreate.status).toBe(400);
    expect(badCreate.body.error).toMatchObject({ code: 'INVALID_BARCODE', details: [{ field: 'barcode' }] });
    expect((await scan('A'.repeat(48))).status).toBe(404);
  });

  it('when a barcode is removed with PATCH, then the item is no longer found by it and the code is free again', async () => {
    const created = await client('POST', '/inventory', itemInput({ barcode: 'TEMP-LABEL-1' }));

    const patched = await client('PATCH', `/inventory/${created.body.data.id}`, { barcode: null });

    expect(patched.body.data).toMatchObject({ barcode: null, barcodeFormat: null });
    expect((await scan('TEMP-LABEL-1')).status).toBe(404);
    expect((await client('POST', '/inventory', itemInput({ barcode: 'TEMP-LABEL-1' }))).status).toBe(201);
  });
});
