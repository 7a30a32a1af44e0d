import { Api, createCustomer, createVehicle, futureDate, putSchedule, startHarness, type Harness } from './factories';

const MONDAY = 1;

describe('services catalog, technicians and bays', () => {
  let h: Harness;
  let api: Api;

  beforeAll(async () => {
    h = await startHarness(__filename);
    api = h.garage({ currency: 'AED' });
    await putSchedule(api);
  });
  afterAll(() => h.close());

  it('when a service is created, then it reads back with prices per vehicle type in the garage currency', async () => {
    const created = await api.post('/services', { name: 'Brake check', code: 'BRK', durationMinutes: 45, prices: [{ vehicleType: 'car', price: 9900 }, { vehicleType: 'truck', price: 19900 }] });
    expect(created.status).toBe(201);
    expect(created.data).toMatchObject({ name: 'Brake check', currency: 'AED', taxRate: 0 });
    const id = created.data.id as string;
    expect((await api.get(`/services/${id}`)).data.code).toBe('BRK');
    expect((await api.get(`/services/${id}/prices`)).data).toEqual([
      { vehicleType: 'car', price: 9900, currency: 'AED' },
      { vehicleType: 'truck', price: 19900, currency: 'AED' },
    ]);
    expect((await api.get('/services')).data.map((s: { id: string }) => s.id)).toContain(id);
    expect((await api.get('/services/svc_missing')).status).toBe(404);
    expect((await h.garage().get(`/services/${id}`)).status).toBe(404);
  });

  it('when a service body is invalid, then 400 lists the fields (duplicate vehicle types, fractional money)', async () => {
    const reply = await api.post('/services', { name: 'X', durationMinutes: 0, prices: [{ vehicleType: 'car', price: 1.5 }, { vehicleType: 'car', price: 2 }] });
    expect(reply.status).toBe(400);
    const fields = (reply.error?.details ?? []).map((d) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['durationMinutes', 'prices.0.price']));
    const twice = await api.post('/services', { name: 'X', durationMinutes: 10, prices: [{ vehicleType: 'car', price: 1 }, { vehicleType: 'car', price: 2 }] });
    expect([twice.status, twice.error?.details?.[0]?.field]).toEqual([400, 'prices']);
  });

  it('when a booking is made, then its services keep the price of that moment for the vehicle type; a type without a price is a 400', async () => {
    const service = (await api.post('/services', { name: 'Wash', durationMinutes: 30, prices: [{ vehicleType: 'car', price: 2500 }] })).data;
    const customer = await createCustomer(api);
    const car = await createVehicle(api, customer.id, { vehicleType: 'car' });
    const bike = await createVehicle(api, customer.id, { vehicleType: 'motorcycle' });
    const booked = await api.post('/bookings', { customerId: customer.id, vehicleId: car.id, date: futureDate(MONDAY), serviceIds: [service.id] });
    expect(booked.data.services[0]).toMatchObject({ unitPrice: 2500 });
    expect(booked.data.currency).toBe('AED');
    const refused = await api.post('/bookings', { customerId: customer.id, vehicleId: bike.id, date: futureDate(MONDAY), serviceIds: [service.id] });
    expect([refused.status, refused.error?.details?.[0]?.field]).toEqual([400, 'serviceIds']);
    expect((await api.post('/bookings', { customerId: customer.id, vehicleId: bike.id, date: futureDate(MONDAY), serviceIds: ['svc_nope'] })).status).toBe(404);
  });

  it('when a technician is assigned, then technician.assigned is published and the technician lists the booking', async () => {
    const tech = await api.post('/technicians', { name: 'Aisha Rahman', email: 'aisha@garage.test', skills: ['ev', 'brakes'] });
    expect(tech.status).toBe(201);
    expect((await api.get('/technicians')).data.map((t: { name: string }) => t.name)).toContain('Aisha Rahman');
    const customer = await createCustomer(api);
    const vehicle = await createVehicle(api, customer.id);
    const booking = (await api.post('/bookings', { customerId: customer.id, vehicleId: vehicle.id, date: futureDate(MONDAY) })).data;
    const assigned = await api.post(`/bookings/${booking.id}/technician`, { technicianId: tech.data.id });
    expect(assigned.data.technicianId).toBe(tech.data.id);
    const event = await h.events.next<{ booking: { bookingId: string }; technician: { id: string; name: string } }>('technician.assigned', (e) => e.data.booking.bookingId === booking.id);
    expect(event.data.technician).toEqual({ id: tech.data.id, name: 'Aisha Rahman' });
    expect((await api.get(`/technicians/${tech.data.id}/bookings`)).data.map((b: { id: string }) => b.id)).toEqual([booking.id]);
    expect((await api.post(`/bookings/${booking.id}/technician`, { technicianId: 'tec_nope' })).status).toBe(404);
    // reassigning through PATCH tells the same story
    const second = (await api.post('/technicians', { name: 'Jon Berg' })).data;
    expect((await api.patch(`/bookings/${booking.id}`, { technicianId: second.id })).status).toBe(200);
    await h.events.next<{ booking: { bookingId: string }; technician: { id: string } }>('technician.assigned', (e) => e.data.technician.id === second.id);
    await api.patch(`/bookings/${booking.id}`, { technicianId: tech.data.id });
    const stats = await api.get(`/technicians/${tech.data.id}/stats?dateFrom=2020-01-01&dateTo=2099-12-31`);
    expect(stats.data).toMatchObject({ completed: 0, inProgress: 0, averageHoursToComplete: null, revenue: 0, currency: 'AED' });
  });

  it('when bays are listed, then each shows available, occupied by the booking in it, or out of service', async () => {
    const free = (await api.post('/bays', { name: 'Bay 1', type: 'lift' })).data;
    const busy = (await api.post('/bays', { name: 'Bay 2' })).data;
    const broken = (await api.post('/bays', { name: 'Bay 3', outOfService: true })).data;
    const customer = await createCustomer(api);
    const vehicle = await createVehicle(api, customer.id);
    const booking = (await api.post('/bookings', { customerId: customer.id, vehicleId: vehicle.id, date: futureDate(MONDAY), bayId: busy.id })).data;
    const statusOf = async () => Object.fromEntries((await api.get('/bays')).data.map((b: { id: string; status: string; booking: unknown }) => [b.id, [b.status, b.booking]]));
    expect((await statusOf())[busy.id]).toEqual(['available', null]); // booked, not yet in the bay
    for (const status of ['confirmed', 'checked_in']) await api.post(`/bookings/${booking.id}/status`, { status });
    const now = await statusOf();
    expect(now[free.id]).toEqual(['available', null]);
    expect(now[busy.id]).toEqual(['occupied', { id: booking.id, number: booking.number }]);
    expect(now[broken.id]).toEqual(['out_of_service', null]);
    expect((await api.patch(`/bays/${broken.id}`, { outOfService: false })).data.status).toBe('available');
    expect((await api.post('/bookings', { customerId: customer.id, vehicleId: vehicle.id, date: futureDate(MONDAY), bayId: 'bay_nope' })).status).toBe(404);
  });

  it('when a read-only key writes, then it is a 403', async () => {
    const readOnly = new Api(h.service.url, api.garage, 'read');
    expect((await readOnly.post('/technicians', { name: 'Nope' })).status).toBe(403);
    expect((await readOnly.get('/technicians')).status).toBe(200);
  });
});
