import { addDays, createCustomer, createVehicle, futureDate, putSchedule, startHarness, type Api, type Harness, type Reply } from './factories';

const MONDAY = 1;

describe('GET /bookings: filters, sort, pagination and counts', () => {
  let h: Harness;
  let api: Api;
  const ids: Record<string, string> = {};
  let monday: string;
  let technicianId: string;
  let customerA: string;
  let vehicleA1: string;

  beforeAll(async () => {
    h = await startHarness(__filename);
    api = h.garage();
    await putSchedule(api, { dailyCapacity: 20, slotCapacity: 20 });
    monday = futureDate(MONDAY);
    technicianId = (await api.post('/technicians', { name: 'Sam Spanner' })).data.id;
    const a = await createCustomer(api, { lastName: 'Alpha' });
    const b = await createCustomer(api, { lastName: 'Beta' });
    customerA = a.id;
    const plan: [name: string, customer: string, day: number, status: string[], tech: boolean][] = [
      ['a1', a.id, 0, [], true],
      ['a2', a.id, 1, ['confirmed'], false],
      ['a3', a.id, 2, ['cancelled'], true],
      ['b1', b.id, 0, ['confirmed', 'checked_in'], false],
      ['b2', b.id, 1, ['cancelled'], false],
      ['b3', b.id, 2, [], true],
    ];
    for (const [name, customerId, day, statuses, tech] of plan) {
      const vehicle = await createVehicle(api, customerId);
      if (name === 'a1') vehicleA1 = vehicle.id;
      const reply = await api.post('/bookings', { customerId, vehicleId: vehicle.id, date: addDays(monday, day), ...(tech ? { technicianId } : {}) });
      ids[name] = reply.data.id;
      for (const status of statuses) await api.post(`/bookings/${reply.data.id}/status`, { status });
    }
    // another garage's bookings never show up here
    const other = h.garage();
    await putSchedule(other);
    const c = await createCustomer(other);
    await other.post('/bookings', { customerId: c.id, vehicleId: (await createVehicle(other, c.id)).id, date: monday });
  });
  afterAll(() => h.close());

  const idsOf = (reply: Reply) => (reply.data as { id: string }[]).map((b) => Object.entries(ids).find(([, id]) => id === b.id)?.[0]);

  it('when one booking is read, then it carries display snapshots of its customer and vehicle', async () => {
    await api.patch(`/vehicles/${vehicleA1}`, { registration: 'AB12 CDE' });
    const detail = (await api.get(`/bookings/${ids.a1}`)).data;
    expect(detail.customer).toMatchObject({ id: customerA, firstName: 'Ada', lastName: 'Alpha' });
    expect(detail.vehicle).toMatchObject({ id: vehicleA1, registration: 'AB12 CDE', make: 'Honda', model: 'Accord', year: 2003, vehicleType: 'car' });
  });

  it('when listed without options, then newest first with pagination metadata', async () => {
    const reply = await api.get('/bookings');
    expect(idsOf(reply)).toEqual(['b3', 'b2', 'b1', 'a3', 'a2', 'a1']);
    expect(reply.pagination).toEqual({ page: 1, limit: 20, total: 6, totalPages: 1, hasMore: false });
  });

  it('when sorted by date then number with a small page, then pages are stable and complete', async () => {
    const first = await api.get('/bookings?sort=date,number&limit=4&page=1');
    const second = await api.get('/bookings?sort=date,number&limit=4&page=2');
    expect(idsOf(first)).toEqual(['a1', 'b1', 'a2', 'b2']);
    expect(idsOf(second)).toEqual(['a3', 'b3']);
    expect(first.pagination).toMatchObject({ total: 6, totalPages: 2, hasMore: true });
    expect(second.pagination).toMatchObject({ page: 2, hasMore: false });
    expect(idsOf(await api.get('/bookings?sort=-number&limit=2'))).toEqual(['b3', 'b2']);
  });

  it('when filtered by status list, dates, customer, vehicle or technician, then only matching bookings come back', async () => {
    expect(idsOf(await api.get('/bookings?status=cancelled,checked_in&sort=number')).sort()).toEqual(['a3', 'b1', 'b2']);
    expect(idsOf(await api.get(`/bookings?dateFrom=${addDays(monday, 1)}&dateTo=${addDays(monday, 1)}&sort=number`))).toEqual(['a2', 'b2']);
    expect(idsOf(await api.get(`/bookings?dateFrom=${addDays(monday, 2)}&sort=number`))).toEqual(['a3', 'b3']);
    expect(idsOf(await api.get(`/bookings?customerId=${customerA}&sort=number`))).toEqual(['a1', 'a2', 'a3']);
    expect(idsOf(await api.get(`/bookings?vehicleId=${vehicleA1}`))).toEqual(['a1']);
    expect(idsOf(await api.get(`/bookings?technicianId=${technicianId}&status=pending&sort=number`))).toEqual(['a1', 'b3']);
    expect(idsOf(await api.get(`/technicians/${technicianId}/bookings?sort=number`))).toEqual(['a1', 'a3', 'b3']);
    expect(idsOf(await api.get(`/customers/${customerA}/bookings?sort=number`))).toEqual(['a1', 'a2', 'a3']);
  });

  it('when the query is invalid, then it is a 400 naming the parameter', async () => {
    for (const [query, field] of [
      ['status=bogus', 'status.0'],
      ['sort=secret', 'sort'],
      ['limit=0', 'limit'],
      [`dateFrom=${addDays(monday, 2)}&dateTo=${monday}`, 'dateTo'],
      ['dateFrom=2026-02-30', 'dateFrom'],
    ]) {
      const reply = await api.get(`/bookings?${query}`);
      expect([query, reply.status]).toEqual([query, 400]);
      expect(reply.error?.details?.map((d) => d.field)).toContain(field);
    }
  });

  it('when counts are asked, then every status is listed with zeros and the total, optionally for a date range', async () => {
    expect((await api.get('/bookings/counts')).data).toEqual({
      pending: 2, confirmed: 1, checked_in: 1, in_progress: 0, waiting_parts: 0, completed: 0, cancelled: 2, no_show: 0, total: 6,
    });
    expect((await api.get(`/bookings/counts?dateFrom=${monday}&dateTo=${monday}`)).data).toMatchObject({ pending: 1, checked_in: 1, total: 2 });
  });

  it('when the customer is read, then its stats count its bookings and show the last booking date', async () => {
    expect((await api.get(`/customers/${customerA}`)).data.stats).toMatchObject({ bookingCount: 3, lastBookingDate: addDays(monday, 2) });
  });

  it('when count=false, then the pages are the same bookings without total/totalPages, and hasMore says whether more follow', async () => {
    const counted = await api.get('/bookings?limit=4&sort=date');
    const first = await api.get('/bookings?limit=4&sort=date&count=false');
    const second = await api.get('/bookings?limit=4&page=2&sort=date&count=false');
    expect(first.data.map((b: { id: string }) => b.id)).toEqual(counted.data.map((b: { id: string }) => b.id));
    expect(first.pagination).toEqual({ page: 1, limit: 4, hasMore: true });
    expect(second.pagination).toEqual({ page: 2, limit: 4, hasMore: false });
    expect(second.data).toHaveLength((counted.pagination?.total ?? 0) - 4);
    const search = await api.get('/customers/search?q=alpha&count=false');
    // the search is read in its default order, so its uncounted page also says where a cursor walk goes on
    expect([search.data.length, search.pagination]).toEqual([1, { page: 1, limit: 20, hasMore: false, nextCursor: null }]);
    expect((await api.get('/bookings?count=maybe')).status).toBe(400);
  });
});
