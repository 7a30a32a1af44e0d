import { createCustomer, createVehicle, customerWithVehicles, futureDate, putSchedule, startHarness, type Api, type Harness } from './factories';

const MONDAY = 1;

function tally(replies: { status: number; error?: { code: string } }[]) {
  const counts: Record<string, number> = {};
  for (const reply of replies) {
    const key = reply.status === 201 ? 'created' : (reply.error?.code ?? String(reply.status));
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

async function fleet(api: Api, count: number) {
  const customer = await createCustomer(api);
  const vehicles = await Promise.all(Array.from({ length: count }, (_, i) => createVehicle(api, customer.id, { registration: `C${i}` })));
  return { customer, vehicles };
}

describe('scheduling guardrails under concurrency (no transactions)', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness(__filename);
  });
  afterAll(() => h.close());

  it('when 30 creates race for a slot of capacity 3, then exactly 3 are created and 27 get SLOT_AT_CAPACITY', async () => {
    const api = h.garage();
    await putSchedule(api, { dailyCapacity: 100, slotCapacity: 3 });
    const { customer, vehicles } = await fleet(api, 30);
    const date = futureDate(MONDAY);
    const replies = await Promise.all(vehicles.map((v) => api.post('/bookings', { customerId: customer.id, vehicleId: v.id, date, timeslot: '09:00' })));
    expect(tally(replies)).toEqual({ created: 3, SLOT_AT_CAPACITY: 27 });
    const day = (await api.get(`/availability?dateFrom=${date}&dateTo=${date}`)).data.days[0];
    expect(day.booked).toBe(3);
    expect(day.slots.find((s: { time: string }) => s.time === '09:00')).toMatchObject({ booked: 3, remaining: 0 });
    expect((await api.get(`/bookings?dateFrom=${date}&dateTo=${date}`)).pagination?.total).toBe(3);
  });

  it('when 30 creates race for a day of capacity 5, then exactly 5 are created and 25 get DATE_AT_CAPACITY', async () => {
    const api = h.garage();
    await putSchedule(api, { dailyCapacity: 5, slotCapacity: 100 });
    const { customer, vehicles } = await fleet(api, 30);
    const date = futureDate(MONDAY);
    const replies = await Promise.all(vehicles.map((v, i) => api.post('/bookings', { customerId: customer.id, vehicleId: v.id, date, ...(i % 2 ? { timeslot: '10:00' } : {}) })));
    expect(tally(replies)).toEqual({ created: 5, DATE_AT_CAPACITY: 25 });
    expect((await api.get(`/availability?dateFrom=${date}&dateTo=${date}`)).data.days[0]).toMatchObject({ booked: 5, remaining: 0 });
  });

  it('when two creates race for the same vehicle, then one is created and the other gets ACTIVE_JOB_EXISTS', async () => {
    const api = h.garage();
    await putSchedule(api);
    const { customer, vehicles } = await customerWithVehicles(api, 1);
    const replies = await Promise.all(
      [futureDate(MONDAY), futureDate(MONDAY, 3)].map((date) => api.post('/bookings', { customerId: customer.id, vehicleId: vehicles[0]!.id, date })),
    );
    expect(tally(replies)).toEqual({ created: 1, ACTIVE_JOB_EXISTS: 1 });
  });

  it('when four reschedules race into a slot of capacity 1, then one moves and three get SLOT_AT_CAPACITY keeping their old slot', async () => {
    const api = h.garage();
    await putSchedule(api, { dailyCapacity: 100, slotCapacity: 1 });
    const { customer, vehicles } = await fleet(api, 4);
    const date = futureDate(MONDAY);
    const created = [];
    for (const [i, slot] of ['08:00', '09:00', '10:00', '11:00'].entries()) {
      created.push(await api.post('/bookings', { customerId: customer.id, vehicleId: vehicles[i]!.id, date, timeslot: slot }));
    }
    const target = futureDate(MONDAY, 3);
    const moves = await Promise.all(created.map((b) => api.patch(`/bookings/${b.data.id}`, { date: target, timeslot: '09:00' })));
    expect(tally(moves.map((m) => ({ ...m, status: m.status === 200 ? 201 : m.status })))).toEqual({ created: 1, SLOT_AT_CAPACITY: 3 });
    const days = (await api.get(`/availability?dateFrom=${date}&dateTo=${target}`)).data.days;
    expect(days[0].booked).toBe(3);
    expect(days[0].slots.filter((s: { booked: number }) => s.booked === 1)).toHaveLength(3);
    expect(days.at(-1).slots.find((s: { time: string }) => s.time === '09:00')).toMatchObject({ booked: 1, remaining: 0 });
  });

  it('when a create is retried with the same Idempotency-Key (also in parallel), then one booking exists and retries get it back', async () => {
    const api = h.garage();
    await putSchedule(api);
    const { customer, vehicles } = await customerWithVehicles(api, 2);
    const body = { customerId: customer.id, vehicleId: vehicles[0]!.id, date: futureDate(MONDAY) };
    const send = (key: string, payload: unknown = body) =>
      fetch(api.url('/bookings'), { method: 'POST', headers: { ...api.headers(), 'content-type': 'application/json', 'idempotency-key': key }, body: JSON.stringify(payload) });
    const first = await send('order-7781');
    const retry = await send('order-7781');
    expect([first.status, retry.status]).toEqual([201, 201]);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    const firstBody = (await first.json()) as { data: { id: string } };
    expect(((await retry.json()) as { data: { id: string } }).data.id).toBe(firstBody.data.id);

    const twins = await Promise.all(Array.from({ length: 5 }, () => send('order-7782', { ...body, vehicleId: vehicles[1]!.id })));
    const ids = new Set<string>();
    for (const twin of twins) {
      const reply = (await twin.json()) as { data?: { id: string }; error?: { code: string } };
      if (twin.status === 201) ids.add(reply.data!.id);
      // the shared Idempotency-Key middleware answers a twin of a request still running with 409 IN_USE
      else expect(reply.error?.code).toBe('IDEMPOTENCY_KEY_IN_USE');
    }
    expect(ids.size).toBe(1);
    expect((await api.get(`/bookings?customerId=${customer.id}`)).pagination?.total).toBe(2);
    expect((await send('bad key with spaces')).status).toBe(400);
  });

  it('when a cancel and a reschedule of one booking race, then it ends cancelled and neither day keeps capacity', async () => {
    const api = h.garage();
    await putSchedule(api, { dailyCapacity: 10, slotCapacity: 10 });
    const { customer, vehicles } = await fleet(api, 5);
    const day = futureDate(MONDAY);
    const other = futureDate(MONDAY, 3);
    for (const vehicle of vehicles) {
      const booking = (await api.post('/bookings', { customerId: customer.id, vehicleId: vehicle.id, date: day, timeslot: '09:00' })).data;
      const [moved, cancelled] = await Promise.all([
        api.patch(`/bookings/${booking.id}`, { date: other, timeslot: '10:00' }),
        api.post(`/bookings/${booking.id}/status`, { status: 'cancelled' }),
      ]);
      expect(cancelled.status).toBe(200);
      expect([200, 409]).toContain(moved.status);
    }
    const days = (await api.get(`/availability?dateFrom=${day}&dateTo=${other}`)).data.days;
    expect([days[0].booked, days.at(-1).booked]).toEqual([0, 0]);
    expect(days.flatMap((d: { slots: { booked: number }[] }) => d.slots).every((s: { booked: number }) => s.booked === 0)).toBe(true);
  });
});
