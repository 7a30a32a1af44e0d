import { waitFor } from '@pitlane/testing';

import { consumedCount, createCustomer, createVehicle, futureDate, putSchedule, startHarness, startPublisher, type Api, type Harness } from './factories';

const MONDAY = 1;
const TUESDAY = 2;

describe('vehicle service history and odometer readings', () => {
  let h: Harness;
  let publisher: Awaited<ReturnType<typeof startPublisher>>;
  let api: Api;

  beforeAll(async () => {
    h = await startHarness(__filename);
    publisher = await startPublisher(h.names);
    api = h.garage();
    await putSchedule(api);
  });
  afterAll(async () => {
    await publisher.stop();
    await h.close();
  });

  const walk = async (bookingId: string, steps: [string, Record<string, unknown>?][]) => {
    for (const [status, extra] of steps) {
      const reply = await api.post(`/bookings/${bookingId}/status`, { status, ...extra });
      expect([status, reply.status, reply.error]).toEqual([status, 200, undefined]);
    }
  };
  const invoice = (bookingId: string, customerId: string, overrides: Record<string, unknown> = {}) => ({
    invoiceId: `inv_${bookingId}`, number: 'INV-2026-000007', bookingId, customerId, status: 'issued', total: 23880, amountPaid: 0, currency: 'GBP', ...overrides,
  });

  it('when mileage is read at check-in and completion, then a lower reading is MILEAGE_DECREASED unless flagged as a correction, and the events carry it', async () => {
    const customer = await createCustomer(api);
    const vehicle = await createVehicle(api, customer.id, { vin: null, mileage: 10_000 });
    const first = (await api.post('/bookings', { customerId: customer.id, vehicleId: vehicle.id, date: futureDate(MONDAY) })).data.id as string;
    const early = await api.post(`/bookings/${first}/status`, { status: 'confirmed', mileage: 10_000 });
    expect([early.status, early.error?.code, early.error?.details?.[0]?.field]).toEqual([400, 'VALIDATION_FAILED', 'mileage']);
    const loneFlag = await api.post(`/bookings/${first}/status`, { status: 'confirmed', mileageCorrection: true });
    expect([loneFlag.status, loneFlag.error?.details?.[0]?.field]).toEqual([400, 'mileageCorrection']);
    await walk(first, [['confirmed']]);
    const lower = await api.post(`/bookings/${first}/status`, { status: 'checked_in', mileage: 9_999 });
    expect([lower.status, lower.error?.code, lower.error?.details]).toEqual([409, 'MILEAGE_DECREASED', { vehicleId: vehicle.id, lastMileage: 10_000, mileage: 9_999 }]);
    await walk(first, [['checked_in', { mileage: 10_020 }], ['in_progress']]);
    expect((await api.post(`/bookings/${first}/status`, { status: 'completed', mileage: 10_010 })).error?.code).toBe('MILEAGE_DECREASED');
    await walk(first, [['completed', { mileage: 10_045 }]]);
    expect((await api.get(`/bookings/${first}`)).data).toMatchObject({ mileageIn: 10_020, mileageOut: 10_045 });
    expect((await api.get(`/vehicles/${vehicle.id}`)).data.mileage).toBe(10_045);
    const checkedIn = await h.events.next<{ booking: { bookingId: string }; to: string; mileage: number }>('booking.status_changed', (e) => e.data.booking.bookingId === first && e.data.to === 'checked_in');
    expect(checkedIn.data.mileage).toBe(10_020);
    const completed = await h.events.next<{ booking: { bookingId: string }; mileage: number }>('booking.completed', (e) => e.data.booking.bookingId === first);
    expect(completed.data.mileage).toBe(10_045);

    // a wrong earlier reading (or a new odometer) is corrected on purpose
    const second = (await api.post('/bookings', { customerId: customer.id, vehicleId: vehicle.id, date: futureDate(TUESDAY) })).data.id as string;
    await walk(second, [['confirmed'], ['checked_in', { mileage: 1_200, mileageCorrection: true }]]);
    expect((await api.get(`/vehicles/${vehicle.id}`)).data.mileage).toBe(1_200);
  });

  it('when a vehicle has jobs, then /bookings lists them all and /history shows completed ones newest first with services, parts, mileage and the invoice once billing reports it', async () => {
    const service = (await api.post('/services', { name: 'Oil change', code: 'OC', durationMinutes: 30, prices: [{ vehicleType: 'car', price: 9900 }], taxRate: 2000 })).data;
    await publisher.publish('inventory', 'inventory.item_created', api.garage, {
      item: { id: 'itm_oil', sku: 'OIL-5L', name: 'Oil 5L', unitPrice: 3000, currency: 'GBP', quantityOnHand: 9, quantityReserved: 0, quantityAvailable: 9, reorderLevel: 1, taxRate: 2000 },
    });
    const customer = await createCustomer(api);
    const vehicle = await createVehicle(api, customer.id, { vin: null, registration: 'HX70 ABC' });
    const book = async (date: string) =>
      (await api.post('/bookings', { customerId: customer.id, vehicleId: vehicle.id, date, serviceIds: [service.id] })).data.id as string;
    const older = await book(futureDate(MONDAY));
    await waitFor(async () => (await api.post(`/bookings/${older}/parts`, { itemId: 'itm_oil', quantity: 1 })).status === 201);
    await walk(older, [['confirmed'], ['checked_in', { mileage: 50_000 }], ['in_progress'], ['completed', { mileage: 50_010 }]]);
    const newer = await book(futureDate(MONDAY, 3));
    await walk(newer, [['confirmed'], ['checked_in', { mileage: 61_000 }], ['in_progress'], ['completed']]);
    const open = await book(futureDate(MONDAY, 4));

    const all = await api.get(`/vehicles/${vehicle.id}/bookings?limit=2`);
    expect(all.data.map((b: { id: string }) => b.id)).toEqual([open, newer]);
    expect(all.pagination).toMatchObject({ total: 3, totalPages: 2, hasMore: true });
    expect((await api.get('/vehicles/veh_nope/history')).status).toBe(404);
    expect((await api.get('/vehicles/veh_nope/bookings')).status).toBe(404);

    const created = await publisher.publish('billing', 'invoice.created', api.garage, { invoice: invoice(older, customer.id) });
    await publisher.publish('billing', 'invoice.paid', api.garage, { invoice: invoice(older, customer.id, { status: 'paid', amountPaid: 23880 }), paidAt: new Date().toISOString() });
    const historyOf = async () => (await api.get(`/vehicles/${vehicle.id}/history`)).data as Record<string, unknown>[];
    await waitFor(async () => (await historyOf())[1]?.invoice !== null && ((await historyOf())[1]?.invoice as { status: string }).status === 'paid');
    // a redelivered, older invoice.created changes nothing
    const before = await consumedCount(h, 'invoice.created');
    await publisher.republish(created);
    await waitFor(async () => (await consumedCount(h, 'invoice.created')) > before);

    const history = await api.get(`/vehicles/${vehicle.id}/history`);
    expect(history.pagination).toMatchObject({ total: 2 });
    expect(history.data.map((e: { bookingId: string }) => e.bookingId)).toEqual([newer, older]);
    expect(history.data[0]).toMatchObject({ mileageIn: 61_000, mileageOut: null, invoice: null, parts: [] });
    expect(history.data[1]).toMatchObject({
      bookingId: older,
      mileageIn: 50_000,
      mileageOut: 50_010,
      services: [{ serviceId: service.id, name: 'Oil change', code: 'OC', unitPrice: 9900, quantity: 1, taxRate: 2000 }],
      parts: [{ itemId: 'itm_oil', sku: 'OIL-5L', name: 'Oil 5L', quantity: 1, unitPrice: 3000, taxRate: 2000 }],
      currency: 'GBP',
      invoice: { id: `inv_${older}`, number: 'INV-2026-000007', status: 'paid', total: 23880, amountPaid: 23880, currency: 'GBP' },
    });
    expect(typeof history.data[1].completedAt).toBe('string');
  });
});
