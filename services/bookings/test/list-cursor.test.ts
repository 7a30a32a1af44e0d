import { addDays, createCustomer, createVehicle, futureDate, putSchedule, startHarness, type Api, type Harness, type Reply } from './factories';

/** the cursor a page hands on (the shared reply type knows only the counted pagination) */
const nextCursorOf = (reply: Reply) => (reply.pagination as unknown as { nextCursor?: string | null } | undefined)?.nextCursor;

/** Walks a list by cursor: the first page with count=false, then every nextCursor until null. */
async function walk(api: Api, path: string, between: (page: number) => Promise<void> = async () => {}): Promise<{ ids: string[]; pages: Reply[] }> {
  const sep = path.includes('?') ? '&' : '?';
  const pages: Reply[] = [await api.get(`${path}${sep}count=false`)];
  for (let n = 1; ; n++) {
    const last = pages.at(-1) as Reply;
    expect(last.status).toBe(200);
    const next = nextCursorOf(last);
    if (next === null || next === undefined) break;
    await between(n);
    pages.push(await api.get(`${path}${sep}cursor=${encodeURIComponent(next)}`));
    if (n > 50) throw new Error('the walk did not end');
  }
  return { ids: pages.flatMap((page) => (page.data as { id: string }[]).map((item) => item.id)), pages };
}

const validationOn = (reply: Reply) => [reply.status, reply.error?.code, reply.error?.details?.map((d) => d.field)];

// both ways the service reads the cursor order: sorted (MongoDB's index) and the stand-in's natural order
describe.each(['index', 'natural'])('cursor pagination (LIST_ORDER=%s)', (order) => {
  let h: Harness;
  let api: Api;
  const customers: string[] = [];

  beforeAll(async () => {
    h = await startHarness(`${__filename}-${order}`, { LIST_ORDER: order });
    api = h.garage();
    for (let i = 0; i < 7; i++) customers.push((await createCustomer(api, { lastName: `Walker${i}` })).id);
    // another garage's customers never show up in this walk
    await createCustomer(h.garage(), { lastName: 'Walker-elsewhere' });
  });
  afterAll(() => h.close());

  it('when a partner walks customers 3 at a time while others are created and changed, then each one there at the start comes exactly once, newest first, and the last page ends the walk', async () => {
    const created: string[] = [];
    const { ids, pages } = await walk(api, '/customers?limit=3', async (page) => {
      created.push((await createCustomer(api, { lastName: `Latecomer${page}` })).id);
      await api.patch(`/customers/${customers[page] as string}`, { notes: `touched on page ${page}` });
    });
    const before = ids.filter((id) => !created.includes(id));
    expect(before).toEqual([...customers].reverse());
    expect(new Set(ids).size).toBe(ids.length);
    expect(pages[0]?.pagination).toEqual({ page: 1, limit: 3, hasMore: true, nextCursor: expect.any(String) });
    expect(pages.slice(1).map((page) => Object.keys(page.pagination ?? {}).sort())).toEqual(pages.slice(1).map(() => ['limit', 'nextCursor']));
    expect(pages.at(-1)?.pagination).toEqual({ limit: 3, nextCursor: null });
  });

  it('when a search is walked by cursor, then it returns the same customers as one big page, in the same order', async () => {
    const whole = await api.get('/customers/search?q=walker&limit=100');
    const { ids } = await walk(api, '/customers/search?q=walker&limit=2');
    expect(ids).toEqual((whole.data as { id: string }[]).map((c) => c.id));
    expect(ids).toHaveLength(7);
  });

  it('when bookings and vehicles are walked by cursor with a filter, then every match comes once and the counted page is unchanged', async () => {
    await putSchedule(api, { dailyCapacity: 20, slotCapacity: 20 });
    const date = futureDate(1);
    const customerId = customers[0] as string;
    const bookings: string[] = [];
    for (let i = 0; i < 5; i++) {
      const vehicle = await createVehicle(api, customerId);
      bookings.push((await api.post('/bookings', { customerId, vehicleId: vehicle.id, date: addDays(date, i) })).data.id);
    }
    const walked = await walk(api, `/bookings?limit=2&customerId=${customerId}`);
    expect(walked.ids).toEqual([...bookings].reverse());
    expect(walked.pages).toHaveLength(3);
    const counted = await api.get(`/bookings?limit=2&customerId=${customerId}`);
    expect(counted.pagination).toEqual({ page: 1, limit: 2, total: 5, totalPages: 3, hasMore: true });
    const vehicles = await walk(api, `/vehicles?limit=4&customerId=${customerId}`);
    expect(vehicles.ids).toHaveLength(5);
    expect(new Set(vehicles.ids).size).toBe(5);
  });

  it('when many customers share one createdAt instant, then the walk still returns each once (the id breaks the tie)', async () => {
    if (order === 'natural') return; // natural order is insertion order: exact only when it follows createdAt (libs/core list-page.ts)
    const tied = h.garage();
    const at = new Date('2026-05-01T10:00:00.000Z');
    const ids = ['cus_tie_c', 'cus_tie_a', 'cus_tie_e', 'cus_tie_b', 'cus_tie_d'];
    await h.service.models.Customer.insertMany(
      ids.map((_id) => ({ _id, garageId: tied.garage.garageId, organisationId: 'org_test', firstName: 'Tie', lastName: _id, fullName: `Tie ${_id}`, createdAt: at, updatedAt: at })),
      { lean: true },
    );
    const { ids: walked } = await walk(tied, '/customers?limit=2');
    expect(walked).toEqual([...ids].sort().reverse());
  });

  it('when the cursor is not one the API issued (garbage, edited, or for other filters), then 400 VALIDATION_FAILED naming cursor', async () => {
    const next = nextCursorOf(await api.get('/customers?limit=2&count=false')) as string;
    const [body, check] = next.split('.') as [string, string];
    const edited = `${body.slice(0, -2)}${body.endsWith('A') ? 'B' : 'A'}${body.slice(-1)}.${check}`;
    for (const cursor of ['nonsense', edited, `${body}.`, `${'x'.repeat(600)}`]) {
      expect(validationOn(await api.get(`/customers?cursor=${encodeURIComponent(cursor)}`))).toEqual([400, 'VALIDATION_FAILED', ['cursor']]);
    }
    const otherFilters = await api.get(`/customers/search?q=walker&cursor=${encodeURIComponent(next)}`);
    expect(validationOn(otherFilters)).toEqual([400, 'VALIDATION_FAILED', ['cursor']]);
    expect(otherFilters.error?.details?.[0]?.message).toMatch(/other filters/);
  });

  it('when a cursor comes with page, another sort or count=true, then 400 naming cursor and what it cannot go with', async () => {
    const next = encodeURIComponent(nextCursorOf(await api.get('/bookings?limit=1&count=false')) as string);
    const page = await api.get(`/bookings?cursor=${next}&page=2`);
    expect(validationOn(page)).toEqual([400, 'VALIDATION_FAILED', ['cursor']]);
    expect(page.error?.details?.[0]?.message).toMatch(/page/);
    const sorted = await api.get(`/bookings?cursor=${next}&sort=date`);
    expect(sorted.error?.details?.[0]?.message).toMatch(/sort=date/);
    expect(validationOn(await api.get(`/bookings?cursor=${next}&count=true`))).toEqual([400, 'VALIDATION_FAILED', ['cursor']]);
    // the default order, spelt out, is the cursor's own order
    expect((await api.get(`/bookings?cursor=${next}&sort=-createdAt`)).status).toBe(200);
  });

  it('when a list is read in another order, then its pages carry no cursor (a cursor walks the default order only)', async () => {
    const byName = await api.get('/customers?sort=name&count=false&limit=2');
    expect(byName.pagination).toEqual({ page: 1, limit: 2, hasMore: true });
  });
});
