import { waitFor } from '@pitlane/testing';

import { ESTIMATE_TOTAL, estimateLines, newCustomer, newGarage } from './factories';
import { startHarness, type Harness } from './harness';

const lines = estimateLines;
const TOTAL = ESTIMATE_TOTAL;

type EstimateEvent = { estimate: { estimateId: string; status: string; total: number } };

describe('estimates', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(__filename);
  });
  afterAll(() => h.close());

  it('when the customer is unknown to billing, then creating an estimate is a 404 (no call to bookings)', async () => {
    const garage = newGarage();
    const response = await h.api(garage, 'POST', '/estimates', { customerId: 'cus-nobody', lines });
    expect(response.status).toBe(404);
    expect(response.body.error).toMatchObject({ code: 'RESOURCE_NOT_FOUND', message: 'Customer not found.' });
  });

  it('when customer.created arrives, then estimates for that customer are priced, numbered and announced', async () => {
    const garage = newGarage();
    const customer = newCustomer();
    await h.publish(garage, 'customer.created', { customer });
    const created = await waitFor(async () => {
      const response = await h.api(garage, 'POST', '/estimates', { customerId: customer.id, lines, validUntil: '2099-12-31' });
      return response.status === 201 && response.body.data;
    });
    expect(created).toMatchObject({
      number: 'EST-000001',
      status: 'draft',
      customerId: customer.id,
      currency: 'EUR',
      subtotal: 12500 + 5000,
      discountTotal: 750,
      taxTotal: 2500 + 808,
      total: TOTAL,
      validUntil: '2099-12-31',
    });
    expect(created.lines[1]).toMatchObject({ kind: 'part', code: 'BRK-01', gross: 5000, discount: 750, net: 4250, tax: 808, total: 5058 });
    const event = await h.events.next<EstimateEvent>('estimate.created', (e) => e.data.estimate.estimateId === created.id);
    expect(event.data.estimate).toMatchObject({ status: 'draft', total: TOTAL, number: 'EST-000001' });

    const second = await h.api(garage, 'POST', '/estimates', { customerId: customer.id, lines });
    expect(second.body.data.number).toBe('EST-000002');
    expect((await h.api(garage, 'GET', `/estimates/${created.id}`)).body.data).toEqual(created);
  });

  it('when the body is invalid or the vehicle is not the customer’s, then it is a 400 with details', async () => {
    const garage = newGarage();
    const { customer } = await h.customerOf(garage);
    const { vehicle: othersVehicle } = await h.customerOf(garage);
    const invalid = await h.api(garage, 'POST', '/estimates', {
      customerId: customer.id,
      lines: [{ kind: 'magic', description: '', quantity: 1.234, unitPrice: 9.99, taxRate: -1 }],
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error?.details?.map((d) => d.field).sort()).toEqual([
      'lines.0.description', 'lines.0.kind', 'lines.0.quantity', 'lines.0.taxRate', 'lines.0.unitPrice',
    ]);
    const tooMuchDiscount = await h.api(garage, 'POST', '/estimates', { customerId: customer.id, lines: [{ ...lines[0], discount: 12501 }] });
    expect(tooMuchDiscount.body.error?.details).toEqual([{ field: 'lines.0.discount', message: 'must not exceed quantity × unitPrice' }]);
    const huge = await h.api(garage, 'POST', '/estimates', { customerId: customer.id, lines: [{ ...lines[0], quantity: 100_000, unitPrice: 1_000_000_000_000 }] });
    expect(huge.body.error?.details?.map((d) => d.field)).toEqual(['lines.0.unitPrice']);
    const wrongVehicle = await h.api(garage, 'POST', '/estimates', { customerId: customer.id, vehicleId: othersVehicle.id, lines });
    expect(wrongVehicle.status).toBe(400);
    expect(wrongVehicle.body.error?.details).toEqual([{ field: 'vehicleId', message: 'does not belong to the customer' }]);
    const unknownVehicle = await h.api(garage, 'POST', '/estimates', { customerId: customer.id, vehicleId: 'veh-nope', lines });
    expect(unknownVehicle.status).toBe(404);
  });

  it('when estimates are listed, then filters, sort and tenant isolation apply', async () => {
    const garage = newGarage();
    const intruder = newGarage();
    const { customer } = await h.customerOf(garage);
    const first = (await h.api(garage, 'POST', '/estimates', { customerId: customer.id, lines })).body.data;
    const second = (await h.api(garage, 'POST', '/estimates', { customerId: customer.id, lines: [lines[0]] })).body.data;
    await h.api(garage, 'POST', `/estimates/${second.id}/send`, {});

    expect((await h.api(garage, 'GET', '/estimates?status=sent')).body.data.map((e: { id: string }) => e.id)).toEqual([second.id]);
    expect((await h.api(garage, 'GET', '/estimates?sort=total')).body.data.map((e: { id: string }) => e.id)).toEqual([second.id, first.id]);
    expect((await h.api(garage, 'GET', `/estimates?customerId=${customer.id}`)).body.pagination?.total).toBe(2);

    expect((await h.api(intruder, 'GET', '/estimates')).body.pagination?.total).toBe(0);
    expect((await h.api(intruder, 'GET', `/estimates/${first.id}`)).status).toBe(404);
    expect((await h.api(intruder, 'PATCH', `/estimates/${first.id}`, { notes: 'x' })).status).toBe(404);
    expect((await h.api(intruder, 'POST', `/estimates/${first.id}/send`, {})).status).toBe(404);
    // the customer exists only in the other garage's read model
    expect((await h.api(intruder, 'POST', '/estimates', { customerId: customer.id, lines })).status).toBe(404);
    expect((await h.publicApi('POST', '/estimates/not-a-token/approve')).status).toBe(404);
  });

  it('when vehicle.updated events arrive out of order, then the newest copy wins (a vehicle that changed owner)', async () => {
    const garage = newGarage();
    const { customer: oldOwner, vehicle } = await h.customerOf(garage);
    const { customer: newOwner } = await h.customerOf(garage);
    const now = Date.now();
    await h.publish(garage, 'vehicle.updated', { vehicle: { ...vehicle, customerId: newOwner.id } }, new Date(now + 2000));
    await h.publish(garage, 'vehicle.updated', { vehicle: { ...vehicle, customerId: oldOwner.id } }, new Date(now + 1000)); // late and stale
    await waitFor(async () => {
      const consumed = await h.billing.metrics.eventsConsumed.get();
      return consumed.values.filter((v) => v.labels.type === 'vehicle.updated').reduce((sum, v) => sum + v.value, 0) >= 2;
    });

    const forNewOwner = await h.api(garage, 'POST', '/estimates', { customerId: newOwner.id, vehicleId: vehicle.id, lines });
    expect(forNewOwner.status).toBe(201);
    const forOldOwner = await h.api(garage, 'POST', '/estimates', { customerId: oldOwner.id, vehicleId: vehicle.id, lines });
    expect(forOldOwner.status).toBe(400);
  });


  it('when vehicle.deleted arrives, then estimates for that vehicle are refused (404)', async () => {
    const garage = newGarage();
    const { customer, vehicle } = await h.customerOf(garage);
    await h.publish(garage, 'vehicle.deleted', { vehicle });
    await waitFor(async () => (await h.api(garage, 'POST', '/estimates', { customerId: customer.id, vehicleId: vehicle.id, lines })).status === 404, {
      message: 'the deleted vehicle is still accepted',
    });
    expect((await h.api(garage, 'POST', '/estimates', { customerId: customer.id, lines })).status).toBe(201);
  });

  it('when a draft is patched, then its lines are re-priced; an empty, unknown-field or unknown-customer patch is refused', async () => {
    const garage = newGarage();
    const { customer } = await h.customerOf(garage);
    const { customer: other } = await h.customerOf(garage);
    const estimate = (await h.api(garage, 'POST', '/estimates', { customerId: customer.id, lines })).body.data;

    const patched = await h.api(garage, 'PATCH', `/estimates/${estimate.id}`, {
      customerId: other.id,
      lines: [{ kind: 'fee', description: 'Disposal', quantity: 1, unitPrice: 1250, taxRate: 2000 }],
      validUntil: '2099-01-31',
    });
    expect(patched.status).toBe(200);
    expect(patched.body.data).toMatchObject({ customerId: other.id, status: 'draft', subtotal: 1250, taxTotal: 250, total: 1500, validUntil: '2099-01-31' });
    expect((await h.api(garage, 'GET', `/estimates/${estimate.id}`)).body.data).toEqual(
      expect.objectContaining({ total: 1500, number: estimate.number, updatedAt: expect.any(String) }),
    );

    const empty = await h.api(garage, 'PATCH', `/estimates/${estimate.id}`, {});
    expect(empty.status).toBe(400);
    const unknownField = await h.api(garage, 'PATCH', `/estimates/${estimate.id}`, { status: 'approved' });
    expect(unknownField.status).toBe(400);
    expect((await h.api(garage, 'PATCH', `/estimates/${estimate.id}`, { customerId: 'cus-nobody' })).status).toBe(404);
    expect((await h.api(garage, 'PATCH', '/estimates/nope', { notes: 'x' })).status).toBe(404);
  });
});
