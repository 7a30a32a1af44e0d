import { createCustomer, createVehicle, futureDate, putSchedule, startHarness, type Api, type Harness } from './factories';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ids = (reply: { data?: unknown }) => (reply.data as { id: string }[]).map((item) => item.id);

/** What a partner sees of the lists: one envelope everywhere, the seed's sort names, the sync
 * filters honoured, and a parameter no list knows refused rather than ignored. */
describe('bookings lists: envelope, sort, createdFrom/createdTo/updatedSince, unknown parameters', () => {
  let h: Harness;
  let api: Api;

  beforeAll(async () => {
    h = await startHarness(__filename);
    api = h.garage();
    await putSchedule(api, { dailyCapacity: 20, slotCapacity: 20 });
  });
  afterAll(() => h.close());

  it("when a booking's stages are listed, then they come in the list envelope and page like every other list", async () => {
    const customer = await createCustomer(api);
    const vehicle = await createVehicle(api, customer.id);
    const booking = (await api.post('/bookings', { customerId: customer.id, vehicleId: vehicle.id, date: futureDate(1) })).data.id as string;
    for (const name of ['Diagnosis', 'Repair', 'Road test']) await api.post(`/bookings/${booking}/stages`, { name });

    const first = await api.get(`/bookings/${booking}/stages?limit=2`);
    expect(first).toMatchObject({ status: 200, success: true, pagination: { page: 1, limit: 2, total: 3, totalPages: 2, hasMore: true } });
    expect(first.data.map((s: { name: string }) => s.name)).toEqual(['Diagnosis', 'Repair']);
    const second = await api.get(`/bookings/${booking}/stages?limit=2&page=2`);
    expect([second.data.map((s: { name: string }) => s.name), second.pagination?.hasMore]).toEqual([['Road test'], false]);

    for (const list of ['parts', 'inventory', 'attachments']) {
      expect(await api.get(`/bookings/${booking}/${list}`)).toMatchObject({ status: 200, data: [], pagination: { page: 1, limit: 20, total: 0, hasMore: false } });
    }
    expect((await api.get(`/bookings/${booking}/stages?sort=name`)).error?.details?.[0]?.field).toBe('sort');
  });

  it("when a service's prices are listed, then they come in the list envelope", async () => {
    const service = await api.post('/services', { name: 'Oil change', code: 'OIL', durationMinutes: 30, prices: [{ vehicleType: 'car', price: 4900 }, { vehicleType: 'truck', price: 6900 }] });
    const prices = await api.get(`/services/${service.data.id}/prices?limit=1`);
    expect(prices).toMatchObject({ status: 200, pagination: { total: 2, limit: 1, hasMore: true } });
    expect(prices.data).toEqual([{ vehicleType: 'car', price: 4900, currency: expect.any(String) }]);
  });

  it('when customers are sorted by name (the seed example), then they come by last name, then first name, either way', async () => {
    const garage = h.garage();
    for (const [firstName, lastName] of [['Zoe', 'Brown'], ['Ana', 'Silva'], ['Bob', 'Brown']]) await createCustomer(garage, { firstName, lastName });
    const names = async (sort: string) => ((await garage.get(`/customers?sort=${sort}`)).data as { firstName: string }[]).map((c) => c.firstName);
    expect(await names('name')).toEqual(['Bob', 'Zoe', 'Ana']);
    expect(await names('-name')).toEqual(['Ana', 'Zoe', 'Bob']);
    expect((await garage.get('/customers?sort=age')).error?.details?.[0]).toMatchObject({ field: 'sort', message: expect.stringContaining('name') });
  });

  it('when a partner syncs customers with updatedSince, then only what was created or changed since comes back; createdFrom/createdTo bound the creation time', async () => {
    const garage = h.garage();
    const old = await createCustomer(garage, { lastName: 'Old' });
    await pause(20);
    const since = new Date().toISOString();
    await pause(20);
    const fresh = await createCustomer(garage, { lastName: 'Fresh' });
    const query = (q: string) => garage.get(`/customers?sort=createdAt&${q}`);

    expect(ids(await query(`updatedSince=${encodeURIComponent(since)}`))).toEqual([fresh.id]);
    await garage.patch(`/customers/${old.id}`, { notes: 'moved house' });
    expect(ids(await query(`updatedSince=${encodeURIComponent(since)}`))).toEqual([old.id, fresh.id]);
    expect(ids(await query(`createdFrom=${encodeURIComponent(since)}`))).toEqual([fresh.id]);
    expect(ids(await query(`createdTo=${encodeURIComponent(since)}`))).toEqual([old.id]);
    // a day is the whole UTC day; dateFrom/dateTo on a list without a date of its own are the creation day
    const today = since.slice(0, 10);
    expect(ids(await query(`createdFrom=${today}&createdTo=${today}`))).toEqual([old.id, fresh.id]);
    expect(ids(await query(`dateFrom=${today}&dateTo=${today}`))).toEqual([old.id, fresh.id]);
    expect(ids(await query('dateTo=2020-01-01'))).toEqual([]);
  });

  it('when a list gets a parameter it does not know, a repeated one or a bad sync time, then it is a 400 VALIDATION_FAILED naming it', async () => {
    const cases: [path: string, field: string][] = [
      ['/customers?updatedAfter=2026-01-01', 'updatedAfter'],
      ['/customers?dateFromm=2026-01-01', 'dateFromm'],
      ['/vehicles?customer=cus_1', 'customer'],
      ['/bookings?state=pending', 'state'],
      ['/services?q=oil', 'q'],
      ['/technicians?page=1&page=2', 'page'],
      ['/customers?updatedSince=last-week', 'updatedSince'],
      ['/customers?createdFrom=2026-03-02&createdTo=2026-03-01', 'createdTo'],
    ];
    for (const [path, field] of cases) {
      const reply = await api.get(path);
      expect([path, reply.status, reply.error?.code]).toEqual([path, 400, 'VALIDATION_FAILED']);
      expect(reply.error?.details?.map((d) => d.field)).toContain(field);
    }
    expect((await api.get('/customers?updatedAfter=x')).error?.message).toContain('updatedAfter');
    // what each list already took keeps working
    expect((await api.get('/customers?page=1&limit=5&sort=-createdAt&count=false')).status).toBe(200);
    expect((await api.get('/vehicles?customerId=cus_x&vin=1HGCM82633A004352&registration=AA')).status).toBe(200);
    expect((await api.get('/bookings?status=pending,confirmed&technicianId=t&bayId=b&dateFrom=2026-01-01&updatedSince=2026-01-01T00:00:00Z')).status).toBe(200);
  });

  it('when a booking changes status, then the answer carries that transition in statusHistory, as a read after it does', async () => {
    const customer = await createCustomer(api);
    const vehicle = await createVehicle(api, customer.id);
    const booking = (await api.post('/bookings', { customerId: customer.id, vehicleId: vehicle.id, date: futureDate(2) })).data.id as string;
    const confirmed = await api.post(`/bookings/${booking}/status`, { status: 'confirmed' });
    expect(confirmed.data.statusHistory).toEqual([{ from: 'pending', to: 'confirmed', reason: null, at: expect.any(String) }]);
    const cancelled = await api.post(`/bookings/${booking}/status`, { status: 'cancelled', reason: 'customer called' });
    expect(cancelled.data.statusHistory.map((t: { to: string; reason: string | null }) => [t.to, t.reason])).toEqual([
      ['confirmed', null],
      ['cancelled', 'customer called'],
    ]);
    expect((await api.get(`/bookings/${booking}`)).data.statusHistory).toEqual(cancelled.data.statusHistory);
  });

  it('when bookings are synced with updatedSince, then a booking whose status changed since comes back', async () => {
    const garage = h.garage();
    await putSchedule(garage, { dailyCapacity: 20, slotCapacity: 20 });
    const customer = await createCustomer(garage);
    const book = async () => {
      const vehicle = await createVehicle(garage, customer.id);
      return (await garage.post('/bookings', { customerId: customer.id, vehicleId: vehicle.id, date: futureDate(3) })).data.id as string;
    };
    const [first, second] = [await book(), await book()];
    await pause(20);
    const since = new Date().toISOString();
    expect(ids(await garage.get(`/bookings?updatedSince=${encodeURIComponent(since)}`))).toEqual([]);
    await garage.post(`/bookings/${second}/status`, { status: 'confirmed' });
    expect(ids(await garage.get(`/bookings?updatedSince=${encodeURIComponent(since)}`))).toEqual([second]);
    expect(ids(await garage.get(`/bookings?createdTo=${encodeURIComponent(since)}&sort=createdAt`))).toEqual([first, second]);
  });
});
