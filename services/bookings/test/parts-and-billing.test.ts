import { eventSchemas } from '@pitlane/contracts';
import { waitFor } from '@pitlane/testing';

import { consumedCount, createCustomer, createVehicle, futureDate, putSchedule, startHarness, startPublisher, type Api, type Harness } from './factories';

const MONDAY = 1;

function item(id: string, overrides: Record<string, unknown> = {}) {
  return { id, sku: `SKU-${id}`, name: `Part ${id}`, unitPrice: 1250, currency: 'GBP', quantityOnHand: 10, quantityReserved: 0, quantityAvailable: 10, reorderLevel: 2, ...overrides };
}

describe('parts from the inventory read model, booking.completed for billing, lifetime spend', () => {
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

  async function booking(vehicleType = 'van') {
    const customer = await createCustomer(api);
    const vehicle = await createVehicle(api, customer.id, { vehicleType, vin: null });
    const reply = await api.post('/bookings', { customerId: customer.id, vehicleId: vehicle.id, date: futureDate(MONDAY) });
    return { customer, vehicle, booking: reply.data as { id: string; number: string } };
  }

  async function knownItem(id: string, overrides: Record<string, unknown> = {}) {
    await publisher.publish('inventory', 'inventory.item_created', api.garage, { item: item(id, overrides) });
    const { booking: probe } = await booking();
    await waitFor(async () => (await api.post(`/bookings/${probe.id}/inventory`, { itemId: id, quantity: 1 })).status === 201);
  }

  it('when a part is added, then an unknown item is a 404 and a known one is a pending line priced from the read model with booking.parts_assigned', async () => {
    const { booking: b } = await booking();
    expect((await api.post(`/bookings/${b.id}/inventory`, { itemId: 'itm_unknown', quantity: 1 })).status).toBe(404);
    expect((await api.post(`/bookings/${b.id}/inventory`, { itemId: 'itm_x', quantity: 0 })).status).toBe(400);

    await knownItem('itm_filter', { unitPrice: 899, name: 'Oil filter' });
    const line = await api.post(`/bookings/${b.id}/inventory`, { itemId: 'itm_filter', quantity: 2 });
    expect(line.status).toBe(201);
    expect(line.data).toMatchObject({ itemId: 'itm_filter', sku: 'SKU-itm_filter', name: 'Oil filter', unitPrice: 899, quantity: 2, status: 'pending' });
    const event = await h.events.next<{ lineId: string; bookingId: string }>('booking.parts_assigned', (e) => e.data.lineId === line.data.id);
    expect(event.data).toEqual({ bookingId: b.id, lineId: line.data.id, itemId: 'itm_filter', quantity: 2 });
    expect((await api.get(`/bookings/${b.id}/parts`)).data).toHaveLength(1);
  });

  it('when inventory answers reserved or reservation_failed (even twice), then the lines become reserved or backordered', async () => {
    await knownItem('itm_pads');
    const { booking: b } = await booking();
    const first = (await api.post(`/bookings/${b.id}/inventory`, { itemId: 'itm_pads', quantity: 1 })).data.id as string;
    const second = (await api.post(`/bookings/${b.id}/inventory`, { itemId: 'itm_pads', quantity: 50 })).data.id as string;
    const reserved = await publisher.publish('inventory', 'inventory.reserved', api.garage, { bookingId: b.id, lineId: first, itemId: 'itm_pads', quantity: 1 });
    await publisher.publish('inventory', 'inventory.reservation_failed', api.garage, {
      bookingId: b.id, lineId: second, itemId: 'itm_pads', quantity: 50, quantityAvailable: 9, reason: 'insufficient_stock',
    });
    await publisher.republish(reserved);
    const statuses = async () => (await api.get(`/bookings/${b.id}/inventory`)).data.map((l: { status: string }) => l.status);
    await waitFor(async () => (await statuses()).join() === 'reserved,backordered');
  });

  it('when inventory.adjusted carries a newer price, then new lines use it and an older event does not undo it', async () => {
    await knownItem('itm_wiper', { unitPrice: 1000 });
    const adjusted = await publisher.publish('inventory', 'inventory.adjusted', api.garage, { item: item('itm_wiper', { unitPrice: 1500 }), movement: null });
    const { booking: b } = await booking();
    await waitFor(async () => {
      const reply = await api.post(`/bookings/${b.id}/inventory`, { itemId: 'itm_wiper', quantity: 1 });
      return reply.data.unitPrice === 1500;
    });
    // an event older than the stored snapshot (late delivery) changes nothing: once the service has
    // finished with it (its consumed counter moved), the price is still the newer one
    const before = await consumedCount(h, 'inventory.adjusted');
    await publisher.republish({ ...adjusted, id: 'old-one', occurredAt: new Date(Date.now() - 3_600_000).toISOString(), data: { item: item('itm_wiper', { unitPrice: 1 }), movement: null } });
    await waitFor(async () => (await consumedCount(h, 'inventory.adjusted')) > before);
    expect((await api.post(`/bookings/${b.id}/inventory`, { itemId: 'itm_wiper', quantity: 1 })).data.unitPrice).toBe(1500);
  });

  it('when a booking completes, then booking.completed carries customer, vehicle, services priced for the vehicle type at booking time, parts, technician and currency', async () => {
    const service = await api.post('/services', { name: 'Full service', code: 'FS', durationMinutes: 120, prices: [{ vehicleType: 'car', price: 15000 }, { vehicleType: 'van', price: 19900 }], taxRate: 2000 });
    expect(service.status).toBe(201);
    const technician = (await api.post('/technicians', { name: 'Ravi Patel', skills: ['diagnostics'] })).data;
    await knownItem('itm_oil', { unitPrice: 4500, name: 'Engine oil 5L' });
    const customer = await createCustomer(api, { firstName: 'Mia', lastName: 'Keller', email: 'mia@example.com' });
    const vehicle = await createVehicle(api, customer.id, { vehicleType: 'van', make: 'Ford', model: 'Transit', vin: '2FMPK4J97NBA08224' });
    const created = await api.post('/bookings', { customerId: customer.id, vehicleId: vehicle.id, date: futureDate(MONDAY), serviceIds: [service.data.id], technicianId: technician.id });
    expect(created.data.services).toEqual([{ serviceId: service.data.id, name: 'Full service', code: 'FS', unitPrice: 19900, quantity: 1, taxRate: 2000 }]);
    const b = created.data.id as string;
    const line = (await api.post(`/bookings/${b}/inventory`, { itemId: 'itm_oil', quantity: 2 })).data;
    for (const status of ['confirmed', 'checked_in', 'in_progress', 'completed']) {
      expect((await api.post(`/bookings/${b}/status`, { status })).status).toBe(200);
    }
    const event = await h.events.next<Record<string, unknown> & { booking: { bookingId: string } }>('booking.completed', (e) => e.data.booking.bookingId === b);
    expect(event.data).toMatchObject({
      booking: { bookingId: b, number: created.data.number, status: 'completed', technicianId: technician.id },
      currency: 'GBP',
      customer: { id: customer.id, firstName: 'Mia', lastName: 'Keller', email: 'mia@example.com' },
      vehicle: { id: vehicle.id, vehicleType: 'van', make: 'Ford', vin: '2FMPK4J97NBA08224' },
      technician: { id: technician.id, name: 'Ravi Patel' },
      services: [{ serviceId: service.data.id, name: 'Full service', code: 'FS', unitPrice: 19900, quantity: 1, taxRate: 2000 }],
      parts: [{ lineId: line.id, itemId: 'itm_oil', sku: 'SKU-itm_oil', name: 'Engine oil 5L', unitPrice: 4500, quantity: 2, status: 'pending' }],
    });
    expect(typeof event.data.completedAt).toBe('string');
    const londonDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date(String(event.data.completedAt)));
    expect(event.data.completedOn).toBe(londonDay); // the garage's local date, for the invoice
    const stats = (await api.get(`/technicians/${technician.id}/stats`)).data;
    expect(stats).toMatchObject({ completed: 1, inProgress: 0, revenue: 19900 + 2 * 4500, currency: 'GBP' });
    expect(typeof stats.averageHoursToComplete).toBe('number');
  });

  it('when parts are added, then each takes its item\'s tax rate, else the garage\'s default parts rate, and booking.completed carries it for the invoice', async () => {
    const garage = h.garage();
    await putSchedule(garage);
    expect((await garage.get('/settings')).data).toEqual({ defaultPartsTaxRate: 0 });
    expect((await garage.put('/settings', { defaultPartsTaxRate: 20.5 })).status).toBe(400);
    expect((await garage.put('/settings', { defaultPartsTaxRate: 500 })).data).toEqual({ defaultPartsTaxRate: 500 });
    await publisher.publish('inventory', 'inventory.item_created', garage.garage, { item: item('itm_tyre', { unitPrice: 4599, taxRate: 2000 }) });
    await publisher.publish('inventory', 'inventory.item_created', garage.garage, { item: item('itm_bulb', { unitPrice: 333 }) });
    const customer = await createCustomer(garage);
    const vehicle = await createVehicle(garage, customer.id, { vehicleType: 'car', vin: null, registration: 'TX51 ABC' });
    const b = (await garage.post('/bookings', { customerId: customer.id, vehicleId: vehicle.id, date: futureDate(MONDAY) })).data.id as string;
    const add = (itemId: string, quantity: number) => garage.post(`/bookings/${b}/parts`, { itemId, quantity });
    await waitFor(async () => (await add('itm_tyre', 3)).status === 201);
    await waitFor(async () => (await add('itm_bulb', 2)).status === 201);
    expect((await garage.get(`/bookings/${b}/parts`)).data.map((l: { itemId: string; taxRate: number }) => [l.itemId, l.taxRate])).toEqual([
      ['itm_tyre', 2000],
      ['itm_bulb', 500],
    ]);
    for (const status of ['confirmed', 'checked_in', 'in_progress', 'completed']) expect((await garage.post(`/bookings/${b}/status`, { status })).status).toBe(200);
    const event = await h.events.next<{ booking: { bookingId: string }; parts: unknown[] }>('booking.completed', (e) => e.data.booking.bookingId === b);
    // what billing parses and prices (services/billing/src/domain/invoice.ts linesFromBooking): per line
    // tax = net × taxRate / 10 000 rounded half away from zero → 3×4599 = 13797 + 2759.4 → 2759; 2×333 = 666 + 33.3 → 33;
    // invoice total 13797 + 2759 + 666 + 33 = 17255
    const parsed = eventSchemas['booking.completed'].parse(event.data);
    expect(parsed.parts.map(({ itemId, unitPrice, quantity, taxRate }) => ({ itemId, unitPrice, quantity, taxRate }))).toEqual([
      { itemId: 'itm_tyre', unitPrice: 4599, quantity: 3, taxRate: 2000 },
      { itemId: 'itm_bulb', unitPrice: 333, quantity: 2, taxRate: 500 },
    ]);
  });

  it('when invoice.paid arrives (and is redelivered), then the customer lifetime spend grows once', async () => {
    const customer = await createCustomer(api);
    const invoice = { invoiceId: 'inv_1', number: 'INV-1', bookingId: null, customerId: customer.id, status: 'paid', total: 23900, amountPaid: 23900, currency: 'GBP' };
    const before = await consumedCount(h, 'invoice.paid');
    const paid = await publisher.publish('billing', 'invoice.paid', api.garage, { invoice, paidAt: new Date().toISOString() });
    await publisher.republish(paid);
    // both deliveries finished (handled once, then a duplicate): only then is "grew once" proven
    await waitFor(async () => (await consumedCount(h, 'invoice.paid')) >= before + 2);
    expect((await api.get(`/customers/${customer.id}`)).data.stats.lifetimeSpend).toBe(23900);
  });
});
