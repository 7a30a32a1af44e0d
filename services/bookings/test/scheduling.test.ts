import { addDays, createCustomer, createVehicle, customerWithVehicles, futureDate, putSchedule, startHarness, type Api, type Harness } from './factories';

const MONDAY = 1;
const SATURDAY = 6;

describe('schedule, availability and the scheduling guardrails', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness(__filename);
  });
  afterAll(() => h.close());

  async function book(api: Api, customerId: string, vehicleId: string, date: string, timeslot?: string | null) {
    return api.post('/bookings', { customerId, vehicleId, date, ...(timeslot === undefined ? {} : { timeslot }) });
  }

  it('when no schedule was set, then GET /schedule shows the defaults and the garage time zone', async () => {
    const api = h.garage({ timezone: 'Asia/Dubai' });
    const reply = await api.get('/schedule');
    expect(reply.data).toMatchObject({ timezone: 'Asia/Dubai', slotMinutes: 60, timeslotRequired: false, openingHours: { sat: null, sun: null } });
  });

  it('when a schedule is invalid, then PUT is a 400 with the fields', async () => {
    const api = h.garage();
    const reply = await api.put('/schedule', {
      openingHours: { mon: { open: '17:00', close: '08:00' }, tue: null, wed: null, thu: null, fri: { open: '8am', close: '17:00' }, sat: null, sun: null },
      closedDates: ['2026-02-30'],
      dailyCapacity: -1,
      slotMinutes: 0,
      slotCapacity: 1,
      timeslotRequired: 'yes',
    });
    expect(reply.status).toBe(400);
    const fields = (reply.error?.details ?? []).map((d) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['openingHours.mon.close', 'openingHours.fri.open', 'closedDates.0', 'dailyCapacity', 'slotMinutes', 'timeslotRequired']));
  });

  it('when the garage is closed that weekday or on a closed date, then GARAGE_CLOSED', async () => {
    const api = h.garage();
    const closed = futureDate(MONDAY, 3);
    await putSchedule(api, { closedDates: [closed] });
    const { customer, vehicles } = await customerWithVehicles(api, 1);
    const weekend = await book(api, customer.id, vehicles[0]!.id, futureDate(SATURDAY));
    expect(weekend.status).toBe(409);
    expect(weekend.error?.code).toBe('GARAGE_CLOSED');
    const holiday = await book(api, customer.id, vehicles[0]!.id, closed);
    expect(holiday.error?.code).toBe('GARAGE_CLOSED');
  });

  it('when a timeslot is required but missing, or not on the slot grid, then TIMESLOT_REQUIRED or INVALID_TIMESLOT (400)', async () => {
    const api = h.garage();
    await putSchedule(api, { timeslotRequired: true });
    const { customer, vehicles } = await customerWithVehicles(api, 1);
    const date = futureDate(MONDAY);
    const missing = await book(api, customer.id, vehicles[0]!.id, date);
    expect([missing.status, missing.error?.code]).toEqual([400, 'TIMESLOT_REQUIRED']);
    for (const slot of ['08:30', '12:00', '07:00']) {
      const invalid = await book(api, customer.id, vehicles[0]!.id, date, slot);
      expect([invalid.status, invalid.error?.code]).toEqual([400, 'INVALID_TIMESLOT']);
    }
    expect((await book(api, customer.id, vehicles[0]!.id, date, '11:00')).status).toBe(201);
  });

  it('when the timeslot is written as 9am or 9:00, then it is the 09:00 slot; a well-formed time off the grid is INVALID_TIMESLOT and a non-time VALIDATION_FAILED', async () => {
    const api = h.garage();
    await putSchedule(api);
    const { customer, vehicles } = await customerWithVehicles(api, 3);
    const date = futureDate(MONDAY);
    for (const [slot, code] of [['9:30am', 'INVALID_TIMESLOT'], ['7 pm', 'INVALID_TIMESLOT'], ['nine', 'VALIDATION_FAILED'], ['25:00', 'VALIDATION_FAILED'], ['13pm', 'VALIDATION_FAILED']]) {
      const refused = await book(api, customer.id, vehicles[0]!.id, date, slot);
      expect([slot, refused.status, refused.error?.code]).toEqual([slot, 400, code]);
    }
    const morning = await book(api, customer.id, vehicles[0]!.id, date, '9am');
    expect([morning.status, morning.data?.timeslot]).toEqual([201, '09:00']);
    const short = await book(api, customer.id, vehicles[1]!.id, date, '9:00');
    expect([short.status, short.data?.timeslot]).toEqual([201, '09:00']);
    const moved = await api.patch(`/bookings/${short.data.id}`, { timeslot: '11 AM' });
    expect([moved.status, moved.data?.timeslot]).toEqual([200, '11:00']);
  });

  it('when the date is in the past in the garage time zone, then it is a 400', async () => {
    const api = h.garage();
    const { customer, vehicles } = await customerWithVehicles(api, 1);
    const reply = await book(api, customer.id, vehicles[0]!.id, '2020-01-06');
    expect(reply.status).toBe(400);
    expect(reply.error?.details?.[0]?.field).toBe('date');
  });

  it('when the day is full, then DATE_AT_CAPACITY; when the slot is full, then SLOT_AT_CAPACITY', async () => {
    const api = h.garage();
    await putSchedule(api, { dailyCapacity: 2, slotCapacity: 1 });
    const { customer, vehicles } = await customerWithVehicles(api, 4);
    const date = futureDate(MONDAY);
    expect((await book(api, customer.id, vehicles[0]!.id, date, '09:00')).status).toBe(201);
    const slotFull = await book(api, customer.id, vehicles[1]!.id, date, '09:00');
    expect([slotFull.status, slotFull.error?.code]).toEqual([409, 'SLOT_AT_CAPACITY']);
    expect((await book(api, customer.id, vehicles[1]!.id, date)).status).toBe(201);
    const dayFull = await book(api, customer.id, vehicles[2]!.id, date, '10:00');
    expect([dayFull.status, dayFull.error?.code]).toEqual([409, 'DATE_AT_CAPACITY']);
  });

  it('when a vehicle already has an active booking, then ACTIVE_JOB_EXISTS names it', async () => {
    const api = h.garage();
    await putSchedule(api);
    const customer = await createCustomer(api);
    const vehicle = await createVehicle(api, customer.id);
    const first = await book(api, customer.id, vehicle.id, futureDate(MONDAY));
    const second = await book(api, customer.id, vehicle.id, futureDate(MONDAY, 3));
    expect([second.status, second.error?.code]).toEqual([409, 'ACTIVE_JOB_EXISTS']);
    expect(second.error?.details).toMatchObject({ vehicleId: vehicle.id, bookingId: first.data.id });
  });

  it('when references are wrong, then 404 for unknown ones and 400 for a vehicle of another customer', async () => {
    const api = h.garage();
    const a = await createCustomer(api);
    const b = await createCustomer(api);
    const vehicle = await createVehicle(api, a.id);
    const date = futureDate(MONDAY);
    expect((await book(api, 'cus_nope', vehicle.id, date)).status).toBe(404);
    expect((await book(api, a.id, 'veh_nope', date)).status).toBe(404);
    const foreign = await book(api, b.id, vehicle.id, date);
    expect([foreign.status, foreign.error?.details?.[0]?.field]).toEqual([400, 'vehicleId']);
    expect((await api.post('/bookings', { customerId: a.id, vehicleId: vehicle.id, date: '2026-13-01' })).status).toBe(400);
  });

  it('when cancelling, marking no-show or deleting, then the capacity is free again and availability agrees', async () => {
    const api = h.garage();
    await putSchedule(api, { dailyCapacity: 1, slotCapacity: 1 });
    const { customer, vehicles } = await customerWithVehicles(api, 4);
    const date = futureDate(MONDAY);
    const availability = async () => (await api.get(`/availability?dateFrom=${date}&dateTo=${date}`)).data.days[0];

    const first = await book(api, customer.id, vehicles[0]!.id, date, '08:00');
    expect(await availability()).toMatchObject({ open: true, capacity: 1, booked: 1, remaining: 0 });
    expect((await availability()).slots[0]).toMatchObject({ time: '08:00', booked: 1, remaining: 0 });
    expect((await book(api, customer.id, vehicles[1]!.id, date, '08:00')).error?.code).toBe('DATE_AT_CAPACITY');

    await api.post(`/bookings/${first.data.id}/status`, { status: 'cancelled', reason: 'customer called' });
    expect(await availability()).toMatchObject({ booked: 0, remaining: 1 });
    const second = await book(api, customer.id, vehicles[1]!.id, date, '08:00');
    expect(second.status).toBe(201);

    await api.post(`/bookings/${second.data.id}/status`, { status: 'confirmed' });
    await api.post(`/bookings/${second.data.id}/status`, { status: 'no_show' });
    const third = await book(api, customer.id, vehicles[2]!.id, date, '08:00');
    expect(third.status).toBe(201);

    expect((await api.delete(`/bookings/${third.data.id}`)).status).toBe(204);
    expect(await availability()).toMatchObject({ booked: 0, remaining: 1 });
    expect((await book(api, customer.id, vehicles[3]!.id, date, '08:00')).status).toBe(201);
  });

  it('when availability is read over a range, then closed days show no capacity and every open slot is listed', async () => {
    const api = h.garage();
    const monday = futureDate(MONDAY);
    await putSchedule(api, { closedDates: [monday], slotMinutes: 90 });
    const saturday = addDays(monday, 5);
    const reply = await api.get(`/availability?dateFrom=${monday}&dateTo=${saturday}`);
    expect(reply.data.days).toHaveLength(6);
    expect(reply.data.days[0]).toMatchObject({ date: monday, open: false, closedReason: 'closed_date', capacity: 0, slots: [] });
    expect(reply.data.days[1]).toMatchObject({ open: true, capacity: 10, remaining: 10 });
    expect(reply.data.days[1].slots.map((s: { time: string }) => s.time)).toEqual(['08:00', '09:30']);
    expect(reply.data.days[5]).toMatchObject({ open: false, closedReason: 'closed_weekday' });
    expect((await api.get(`/availability?dateFrom=${saturday}&dateTo=${monday}`)).status).toBe(400);
    expect((await api.get('/availability?dateFrom=2027-01-01&dateTo=2027-12-31')).status).toBe(400);
    // a past weekday is open by the schedule but not bookable, as creation refuses past dates
    const past = (await api.get('/availability?dateFrom=2020-01-06&dateTo=2020-01-06')).data.days[0];
    expect(past).toMatchObject({ open: true, bookable: false, remaining: 0 });
    expect(past.slots.every((s: { remaining: number }) => s.remaining === 0)).toBe(true);
  });

  it("when a date is today in one garage's time zone, then it is bookable there and already past where the day is further along", async () => {
    const localToday = (timeZone: string) => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
    const everyDay = { open: '00:00', close: '23:00' };
    const week = { mon: everyDay, tue: everyDay, wed: everyDay, thu: everyDay, fri: everyDay, sat: everyDay, sun: everyDay };
    // UTC-11 and UTC+14 never share a calendar date
    const samoa = h.garage({ timezone: 'Pacific/Pago_Pago' });
    const kiribati = h.garage({ timezone: 'Pacific/Kiritimati' });
    const samoaToday = localToday('Pacific/Pago_Pago');
    for (const api of [samoa, kiribati]) await putSchedule(api, { openingHours: week });
    const inSamoa = await customerWithVehicles(samoa, 1);
    const inKiribati = await customerWithVehicles(kiribati, 1);
    expect((await book(samoa, inSamoa.customer.id, inSamoa.vehicles[0]!.id, samoaToday)).status).toBe(201);
    const past = await book(kiribati, inKiribati.customer.id, inKiribati.vehicles[0]!.id, samoaToday);
    expect([past.status, past.error?.details?.[0]?.field]).toEqual([400, 'date']);
    expect((await book(kiribati, inKiribati.customer.id, inKiribati.vehicles[0]!.id, localToday('Pacific/Kiritimati'))).status).toBe(201);
  });
});
