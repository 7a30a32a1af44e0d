import { createCustomer, createVehicle, futureDate, putSchedule, startHarness, type Harness } from './factories';

describe('customers and vehicles', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness(__filename);
  });
  afterAll(() => h.close());

  it('when a customer gives an address as an object or the old string, then it reads back structured; an unknown country is a 400; old string documents read as line1', async () => {
    const api = h.garage();
    const empty = { line2: null, city: null, region: null, postcode: null, country: null };
    const structured = await api.post('/customers', {
      firstName: 'Ali', lastName: 'Hassan', address: { line1: 'Office 12', line2: 'Sheikh Zayed Rd', city: 'Dubai', region: 'Dubai', postcode: null, country: 'ae' },
    });
    expect(structured.data.address).toEqual({ line1: 'Office 12', line2: 'Sheikh Zayed Rd', city: 'Dubai', region: 'Dubai', postcode: null, country: 'AE' });
    const plain = await api.post('/customers', { firstName: 'Bo', lastName: 'Smith', address: '1 Pit Lane, London' });
    expect(plain.data.address).toEqual({ line1: '1 Pit Lane, London', ...empty });
    // the one-line form has line1's limit of 200 (found by the fuzzer: a longer one broke the schema)
    for (const address of [{ line1: 'x', country: 'UK' }, { line1: 'x', country: 'GBR' }, { city: 'London' }, { line1: 'x', town: 'y' }, 'x'.repeat(201)]) {
      const refused = await api.post('/customers', { firstName: 'C', lastName: 'D', address });
      expect([refused.status, refused.error?.code]).toEqual([400, 'VALIDATION_FAILED']);
    }
    const patched = await api.patch(`/customers/${plain.data.id}`, { address: { line1: '2 Pit Lane', city: 'London', postcode: 'E1 6AN', country: 'GB' } });
    expect(patched.data.address).toEqual({ line1: '2 Pit Lane', line2: null, city: 'London', region: null, postcode: 'E1 6AN', country: 'GB' });
    // a customer stored before the structured type (address was a string)
    const now = new Date();
    await h.service.models.Customer.collection.insertOne({
      _id: 'cus_legacy' as never, garageId: api.garage.garageId, organisationId: 'org_test', firstName: 'Old', lastName: 'Timer', fullName: 'Old Timer',
      address: '3 Old Road', lifetimeSpend: 0, createdAt: now, updatedAt: now,
    });
    expect((await api.get('/customers/cus_legacy')).data.address).toEqual({ line1: '3 Old Road', ...empty });
  });

  it('when a customer is created and updated, then it reads back and customer.created and customer.updated reach the broker', async () => {
    const api = h.garage();
    const created = await api.post('/customers', { firstName: 'Grace', lastName: 'Hopper', email: 'grace@example.com', phone: '+1 555 0100' });
    expect(created.status).toBe(201);
    expect(created.data).toMatchObject({ id: expect.any(String), firstName: 'Grace', lastName: 'Hopper', email: 'grace@example.com' });
    const id = created.data.id as string;

    const patched = await api.patch(`/customers/${id}`, { phone: '+1 555 0199' });
    expect(patched.status).toBe(200);
    expect(patched.data.phone).toBe('+1 555 0199');

    const createdEvent = await h.events.next('customer.created', (e) => (e.data as { customer: { id: string } }).customer.id === id);
    expect(createdEvent).toMatchObject({ garageId: api.garage.garageId, organisationId: 'org_test', source: 'bookings' });
    const updated = await h.events.next<{ customer: { id: string; phone: string } }>('customer.updated', (e) => e.data.customer.id === id);
    expect(updated.data.customer.phone).toBe('+1 555 0199');

    const read = await api.get(`/customers/${id}`);
    expect(read.data).toMatchObject({ id, phone: '+1 555 0199', stats: { bookingCount: 0, lastBookingDate: null, lifetimeSpend: 0, currency: 'GBP' } });
  });

  it('when a body is invalid or carries unknown fields, then it is a 400 listing each field', async () => {
    const api = h.garage();
    const reply = await api.post('/customers', { firstName: '', email: 'not-an-email', $where: '1' });
    expect(reply.status).toBe(400);
    expect(reply.error?.code).toBe('VALIDATION_FAILED');
    const fields = (reply.error?.details ?? []).map((d) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['firstName', 'lastName', 'email']));
  });

  it('when searching, then name, email and phone match case-insensitively and regex or operators are literal text', async () => {
    const api = h.garage();
    await createCustomer(api, { firstName: 'Lin', lastName: 'Nakamura', email: 'lin@garage.test', phone: '+81 3 1234 5678' });
    await createCustomer(api, { firstName: 'Omar', lastName: 'Haddad', email: 'omar@example.com', phone: '+971 4 555 0000' });
    await createCustomer(api, { firstName: 'Dot', lastName: 'Star (.*)', email: null, phone: null });

    expect((await api.get('/customers/search?q=NAKAM')).data.map((c: { lastName: string }) => c.lastName)).toEqual(['Nakamura']);
    expect((await api.get('/customers/search?q=OMAR%40EXAMPLE')).data).toHaveLength(1);
    expect((await api.get('/customers/search?q=1234%205678')).data).toHaveLength(1);
    expect((await api.get(`/customers/search?q=${encodeURIComponent('(3) 1234-5678')}`)).data.map((c: { lastName: string }) => c.lastName)).toEqual(['Nakamura']);
    expect((await api.get('/customers/search?q=lin%20nakamura')).data).toHaveLength(1);
    // a regex would match everyone; as literal text only the customer whose name contains ".*" matches
    const regex = await api.get(`/customers/search?q=${encodeURIComponent('.*')}`);
    expect(regex.data.map((c: { firstName: string }) => c.firstName)).toEqual(['Dot']);
    expect((await api.get(`/customers/search?q=${encodeURIComponent('(')}`)).status).toBe(200);
    // operator injection through the query string: refused, never an operator
    const injected = await api.get('/customers/search?q[$ne]=x');
    expect(injected.status).toBe(400);
    const twice = await api.get('/customers/search?q=a&q=b');
    expect(twice.status).toBe(400);
    // through a body: unknown keys are refused and values must be strings
    const bodyInjection = await api.patch(`/customers/${(await createCustomer(api)).id}`, { email: { $gt: '' } });
    expect(bodyInjection.status).toBe(400);
  });

  it("when garage B reads garage A's customer, then it is a 404 and B's lists never show it", async () => {
    const a = h.garage({ organisationId: 'org_a' });
    const b = h.garage({ organisationId: 'org_b' });
    const customer = await createCustomer(a, { lastName: 'Isolated' });
    expect((await b.get(`/customers/${customer.id}`)).status).toBe(404);
    expect((await b.patch(`/customers/${customer.id}`, { notes: 'x' })).status).toBe(404);
    expect((await b.get('/customers')).data).toEqual([]);
    expect((await b.get('/customers/search?q=Isolated')).data).toEqual([]);
    expect((await b.post('/vehicles', { customerId: customer.id, make: 'VW', model: 'Golf', vehicleType: 'car' })).status).toBe(404);
    expect((await a.get('/customers')).pagination?.total).toBe(1);
  });

  it('when customers are listed, then pagination and sort apply and limit above 100 is a 400', async () => {
    const api = h.garage();
    for (const last of ['Cole', 'Abbot', 'Baker']) await createCustomer(api, { lastName: last });
    const page = await api.get('/customers?sort=lastName&limit=2&page=1');
    expect(page.data.map((c: { lastName: string }) => c.lastName)).toEqual(['Abbot', 'Baker']);
    expect(page.pagination).toEqual({ page: 1, limit: 2, total: 3, totalPages: 2, hasMore: true });
    expect((await api.get('/customers?limit=101')).status).toBe(400);
    expect((await api.get('/customers?sort=password')).status).toBe(400);
  });

  it('when a vehicle is created, updated and listed, then vehicle.created is published and duplicate VINs are refused', async () => {
    const api = h.garage();
    const customer = await createCustomer(api);
    const created = await api.post(`/customers/${customer.id}/vehicles`, { vin: '1hgcm82633a004352', make: 'Honda', model: 'Accord', year: 2003, vehicleType: 'car', registration: 'AB12 CDE' });
    expect(created.status).toBe(201);
    expect(created.data).toMatchObject({ customerId: customer.id, vin: '1HGCM82633A004352', vehicleType: 'car' });
    await h.events.next('vehicle.created', (e) => (e.data as { vehicle: { id: string } }).vehicle.id === created.data.id);

    const duplicate = await api.post('/vehicles', { customerId: customer.id, vin: '1HGCM82633A004352', make: 'Honda', model: 'Accord', vehicleType: 'car' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.error?.code).toBe('DUPLICATE_RESOURCE');
    const malformed = await api.post('/vehicles', { customerId: customer.id, vin: 'SHORT', make: 'X', model: 'Y', vehicleType: 'car' });
    expect(malformed.error?.code).toBe('INVALID_VIN');
    expect((await api.post('/vehicles', { customerId: customer.id, make: 'X', model: 'Y', vehicleType: 'tank' })).status).toBe(400);

    const patched = await api.patch(`/vehicles/${created.data.id}`, { mileage: 120000, color: 'blue' });
    expect(patched.data).toMatchObject({ mileage: 120000, color: 'blue' });
    await h.events.next('vehicle.updated', (e) => (e.data as { vehicle: { id: string } }).vehicle.id === created.data.id);
    expect((await api.get(`/customers/${customer.id}/vehicles`)).data).toHaveLength(1);
    expect((await api.get(`/vehicles?vin=1HGCM82633A004352`)).data).toHaveLength(1);
  });

  it('when a vehicle has an active booking, then it cannot be deleted; once cancelled it can', async () => {
    const api = h.garage();
    await putSchedule(api);
    const customer = await createCustomer(api);
    const vehicle = await createVehicle(api, customer.id);
    const booking = await api.post('/bookings', { customerId: customer.id, vehicleId: vehicle.id, date: futureDate(2) });
    expect(booking.status).toBe(201);

    const refused = await api.delete(`/vehicles/${vehicle.id}`);
    expect(refused.status).toBe(409);
    expect(refused.error?.code).toBe('ACTIVE_JOB_EXISTS');

    expect((await api.post(`/bookings/${booking.data.id}/status`, { status: 'cancelled' })).status).toBe(200);
    expect((await api.delete(`/vehicles/${vehicle.id}`)).status).toBe(204);
    expect((await api.get(`/vehicles/${vehicle.id}`)).status).toBe(404);
    await h.events.next('vehicle.deleted', (e) => (e.data as { vehicle: { id: string } }).vehicle.id === vehicle.id);
  });
});
